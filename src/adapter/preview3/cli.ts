/**
 * wasi:cli@0.3: environment, exit, stdio as streams, terminals. Stdin, stdout and stderr
 * are the kernel's pinned handles (allow / ignore / deny decided there), the same ones
 * the 0.2 face writes to, so output from both faces interleaves in call order.
 */
import { WasiError } from '../../virtual-fs/errors.js';
import type { Handle } from '../../virtual-fs/handle.js';
import type { StdinHandle } from '../kernel/stdio.js';
import { asyncProducer, CHUNK, drain, OK, producer, type Ctx, type GuestStream, type Result } from './context.js';

/** A terminal (wasi:cli/terminal-input@0.3); it has no methods. */
export class TerminalInput {}
export class TerminalOutput {}

/** cli `error-code`: io, illegal-byte-sequence, pipe. A policy refusal is a broken pipe. */
function cliError(e: unknown): string {
  if (e instanceof WasiError) {
    return e.code === 'notcapable' ? 'pipe' : 'io';
  }
  throw e;
}

/**
 * A stream over the kernel's stdin. Where the source can wait without blocking (Node's fd
 * 0: FdSource.readAsync), reads are asynchronous and the guest's other tasks run while one
 * waits; elsewhere (a buffer, a custom source) they are synchronous, as for every ABI.
 */
function readStdin(ctx: Ctx, handle: StdinHandle): [Iterable<Uint8Array> | AsyncIterable<Uint8Array>, Promise<Result>] {
  if (handle.readsAsync) {
    return asyncProducer(
      async () => {
        ctx.kernel.flush();
        const bytes = await handle.readAsync(CHUNK);
        return bytes === null || bytes.byteLength === 0 ? null : bytes;
      },
      (e) => cliError(e),
      (bytes) => handle.unread(bytes),
    );
  }
  return producer(
    () => {
      // A prompt written before a blocking read must be visible while the guest waits.
      ctx.kernel.flush();
      const buf = new Uint8Array(CHUNK);
      const n = handle.read(buf);
      return n === 0 ? null : buf.subarray(0, n);
    },
    (e) => cliError(e),
  );
}

async function writeOut(ctx: Ctx, handle: Handle, data: GuestStream): Promise<Result> {
  try {
    await ctx.drains.run(() => drain(data, (bytes) => { handle.write(bytes); }));
    return OK;
  } catch (e) {
    return { tag: 'err', val: cliError(e) };
  }
}

export function createCli(ctx: Ctx): Record<string, Record<string, unknown>> {
  const { kernel } = ctx;
  return {
    'wasi:cli/environment': {
      getEnvironment: (): [string, string][] => kernel.env.map(([k, v]) => [k, v]),
      getArguments: (): string[] => kernel.args.slice(),
      // No cwd in the policy means none: the guest is not told the host's.
      getInitialCwd: (): string | undefined => kernel.cwd,
    },
    'wasi:cli/exit': {
      exit: (status: { tag: 'ok' | 'err' }): never => kernel.exit(status.tag === 'ok' ? 0 : 1),
      exitWithCode: (code: number): never => kernel.exit(code),
    },
    'wasi:cli/stdin': { readViaStream: () => readStdin(ctx, kernel.stdin) },
    'wasi:cli/stdout': { writeViaStream: (data: GuestStream) => writeOut(ctx, kernel.stdout, data) },
    'wasi:cli/stderr': { writeViaStream: (data: GuestStream) => writeOut(ctx, kernel.stderr, data) },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    // A terminal only where the kernel's stream really is one (never a pipe or a file).
    'wasi:cli/terminal-stdin': {
      getTerminalStdin: () => (kernel.stdin.isTerminal() ? new TerminalInput() : undefined),
    },
    'wasi:cli/terminal-stdout': {
      getTerminalStdout: () => (kernel.stdout.isTerminal() ? new TerminalOutput() : undefined),
    },
    'wasi:cli/terminal-stderr': {
      getTerminalStderr: () => (kernel.stderr.isTerminal() ? new TerminalOutput() : undefined),
    },
  };
}
