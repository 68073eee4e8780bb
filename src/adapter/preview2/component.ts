/**
 * What every runner of a transpiled component shares, wherever the files come from (jco's
 * cache under Node, a composed bundle's directory): loading jco's instantiation-mode output
 * and deciding which of preview2-shim's network pieces the component needs. Platform-neutral:
 * the caller says how to read a core module.
 */
import { importModule } from '../../util/import-module.js';
import type { ImportObject } from './context.js';
import type { ComponentExports } from './run-exports.js';

/** A component ready to instantiate any number of times (core modules compiled once). */
export interface LoadedComponent {
  /** `instantiateCore` makes each core instance (the kernel's, to hold guest memory to its limit). */
  instantiate(imports: ImportObject, instantiateCore?: InstantiateCore): ComponentExports;
}

type InstantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance;

type Generated = {
  instantiate(getCoreModule: (name: string) => WebAssembly.Module, imports: ImportObject, instantiateCore?: InstantiateCore): ComponentExports;
};

/**
 * Import jco's generated module (`jsUrl`) and compile its core modules (`coreFiles`, read by
 * `read`, which may be asynchronous where files are fetched).
 */
export async function loadGenerated(
  jsUrl: string,
  coreFiles: readonly string[],
  read: (file: string) => Uint8Array | Promise<Uint8Array>,
): Promise<LoadedComponent> {
  const [mod, modules] = await Promise.all([
    importModule<Generated>(jsUrl),
    Promise.all(coreFiles.map(async (f) => [f, await WebAssembly.compile(await read(f) as Uint8Array<ArrayBuffer>)] as const)),
  ]);
  const byName = new Map(modules);
  const getCoreModule = (name: string): WebAssembly.Module => {
    const m = byName.get(name);
    if (!m) throw new Error(`the transpiled component asked for a core module it was not given: "${name}"`);
    return m;
  };
  return { instantiate: (imports, core) => mod.instantiate(getCoreModule, imports, core) };
}

/**
 * Which of preview2-shim's network pieces a component needs: sockets when it imports them
 * and the policy allows them, http whenever it imports it (a guest may build a request
 * before the policy refuses it; without the shim's types that would trap).
 */
export function networkNeeds(imports: readonly string[], socketsAllowed: boolean): { sockets: boolean; http: boolean } {
  return {
    sockets: socketsAllowed && imports.some((i) => i.startsWith('wasi:sockets/')),
    http: imports.some((i) => i.startsWith('wasi:http/')),
  };
}
