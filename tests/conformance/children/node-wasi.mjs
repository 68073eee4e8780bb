// One guest under node:wasi, in a process of its own: node:wasi writes to the real fds 0-2 and
// a guest can abort the process, so the parent (engines.ts) captures this process's stdout,
// stderr and exit code instead of sharing vitest's.
// argv: <wasm path> <JSON {args, env, dirs: {guest: host}}>
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const wasi = new WASI({
  version: 'preview1',
  args: config.args,
  env: config.env,
  preopens: config.dirs,
  returnOnExit: true,
});
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
try {
  process.exitCode = wasi.start(instance);
} catch (err) {
  // A trap: report it like wasmtime does on Unix (128 + SIGABRT) so every engine agrees.
  process.stderr.write(`trap: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 134;
}
