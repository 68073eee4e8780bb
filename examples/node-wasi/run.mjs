// Node's WASI example, on wasi-virt: the only change from node:wasi is the import line.
// Compiles demo.wat with wabt (node's docs use wat2wasm for that step), then runs it.
//   node examples/node-wasi/run.mjs
import { readFile } from 'node:fs/promises';
import wabt from 'wabt';
import { WASI } from 'wasi-virt'; // was: import { WASI } from 'node:wasi';

const text = await readFile(new URL('./demo.wat', import.meta.url), 'utf8');
const wasm = (await wabt()).parseWat('demo.wat', text).toBinary({}).buffer;

const wasi = new WASI({ version: 'preview1', args: ['demo'], env: {} });
const { instance } = await WebAssembly.instantiate(wasm, wasi.getImportObject());
process.exitCode = wasi.start(instance);
