/**
 * Every dynamic import of a module that is not one of this package's own sources (a
 * package such as jco-transpile, wabt or a shim; a transpiled component's generated file)
 * goes through here. The CLI runs as one bundle compiled with V8's code cache
 * (util/one-script.ts), where a plain `import()` has no module loader behind it on
 * Node 20; scripts/build-one-script.mjs puts in its place one that calls the loader's
 * own `import()`. Bare specifiers resolve from this package's directory either way.
 */
export function importModule<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
