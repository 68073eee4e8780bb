/** Runs a guest under node:wasi with stdout captured through a temp file, for side-by-side checks. */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { tempDir } from './fs-harness.js';

export function runNodeWasi(module: Uint8Array<ArrayBuffer>, args: string[], preopens: Record<string, string>): { code: number; stdout: string } {
  const out = tempDir('p1core-nodewasi-out-');
  try {
    const file = join(out.path, 'stdout');
    const fd = openSync(file, 'w');
    let code: number;
    try {
      const wasi = new WASI({ version: 'preview1', args, env: {}, preopens, stdout: fd, returnOnExit: true });
      const instance = new WebAssembly.Instance(new WebAssembly.Module(module), wasi.getImportObject() as WebAssembly.Imports);
      code = wasi.start(instance);
    } finally {
      closeSync(fd);
    }
    return { code, stdout: readFileSync(file, 'utf8') };
  } finally {
    out.cleanup();
  }
}
