// One core module as a preview2 component under jco + @bytecodealliance/preview2-shim (the JS
// preview2 peer), in a process of its own: the shim's exit calls process.exit and its stdio
// writes to the real fds. The module is wrapped with jco's preview1 command adapter and
// transpiled once per content hash into .cache/conformance-p2 (inside the repo, so the generated
// code resolves @bytecodealliance/preview2-shim from our node_modules).
// argv: <wasm path> <JSON {args, env, dirs: {guest: host}}>
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [wasmPath, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const core = readFileSync(wasmPath);

// jco itself (~1 s to load here) is imported only on a cache miss: its adapter sits at the
// path its preview1AdapterCommandPath() computes from the package's main module.
const adapterAt = new URL('../lib/wasi_snapshot_preview1.command.wasm', import.meta.resolve('@bytecodealliance/jco'));
const loadJco = () => import('@bytecodealliance/jco');
const adapterPath = existsSync(adapterAt) ? adapterAt : (await loadJco()).preview1AdapterCommandPath();
const adapter = readFileSync(fileURLToPath(adapterPath));
const key = createHash('sha256').update('p2shim1').update(core).update(adapter).digest('hex').slice(0, 24);
const outDir = join(root, '.cache', 'conformance-p2', key);
if (!existsSync(join(outDir, 'guest.js'))) {
  const jco = await loadJco();
  const component = await jco.componentNew(core, [['wasi_snapshot_preview1', adapter]]);
  const { files } = await jco.transpile(component, { name: 'guest', noTypescript: true, quiet: true });
  // Build beside the final directory and rename, so a half-written transpile is never reused.
  const staging = `${outDir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    writeFileSync(join(staging, file), bytes);
  }
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
}

const cli = await import('@bytecodealliance/preview2-shim/cli');
const filesystem = await import('@bytecodealliance/preview2-shim/filesystem');
cli._setArgs(config.args);
cli._setEnv(config.env);
cli._setCwd('/');
filesystem._setPreopens(config.dirs);

const guest = await import(pathToFileURL(join(outDir, 'guest.js')).href);
const run = guest.run ?? guest['wasi:cli/run@0.2.0'] ?? Object.values(guest).find((v) => typeof v?.run === 'function');
let code = 0;
try {
  run.run();
} catch (err) {
  // A trap (or the component's error result): a non-zero exit like a command-line runtime's.
  process.stderr.write(`trap: ${err instanceof Error ? err.message : String(err)}\n`);
  code = 134;
}
// The shim's stdin reader keeps the event loop alive while stdin is open: leave explicitly.
process.exit(code);
