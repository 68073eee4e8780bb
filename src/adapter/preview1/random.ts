/**
 * random_get over the kernel's random source (host CSPRNG, seeded generator in
 * deterministic mode, or denied). The length is checked against guest memory before
 * anything is allocated, and the bytes are generated straight into guest memory.
 */
import { syscall, type Imports, type Preview1Context } from './context.js';

export default function randomImports(ctx: Preview1Context): Imports {
  const { mem, kernel } = ctx;
  return {
    random_get: syscall(ctx, (bufPtr: number, len: number) => {
      kernel.random.fill(mem.bytes(bufPtr, len));
    }),
  };
}
