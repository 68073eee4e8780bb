/**
 * Run a preview1 command module start to finish: compile, instantiate against a
 * virtual host, run `_start`, deliver output, release host resources. Platform-neutral:
 * the platform (and with it stdio, host directories, snapshots) comes in the options.
 */
import { Kernel, type KernelOptions } from '../kernel/index.js';
import { MODULE_NAME, type Version } from './abi.js';
import { createPreview1 } from './index.js';

export interface RunModuleOptions extends KernelOptions {
  /** Which preview1 namespace to provide. Default: the one the module imports. */
  version?: Version;
  /** Further imports (modules other than WASI) the program needs. */
  imports?: WebAssembly.Imports;
}

/** A module that needs imports nobody supplies. */
export class UnresolvedImportError extends Error {
  readonly userFacing = true;
  constructor(readonly missing: string[]) {
    super(`the module imports ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}, which nothing provides`);
    this.name = 'UnresolvedImportError';
  }
}

/** The WASI version a module was built for: the namespace it imports from (preview1 by default). */
export function detectVersion(module: WebAssembly.Module): Version {
  const namespaces = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
  return namespaces.has(MODULE_NAME.unstable) && !namespaces.has(MODULE_NAME.preview1) ? 'unstable' : 'preview1';
}

export async function runModule(
  wasm: Uint8Array | ArrayBuffer | WebAssembly.Module,
  options: RunModuleOptions,
): Promise<{ code: number }> {
  const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>);
  const version = options.version ?? detectVersion(module);
  const kernel = new Kernel(options);
  try {
    const p1 = createPreview1(kernel, { version });
    const imports: WebAssembly.Imports = { ...options.imports, ...p1.imports };
    const missing = WebAssembly.Module.imports(module)
      .filter((i) => imports[i.module]?.[i.name] === undefined)
      .map((i) => `${i.module}.${i.name}`);
    if (missing.length) throw new UnresolvedImportError(missing);
    const instance = await WebAssembly.instantiate(module, imports);
    return { code: p1.start(instance) };
  } finally {
    kernel.dispose();
  }
}
