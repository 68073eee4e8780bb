// One guest under `wasi-virt run`, driven the way the wasi-testsuite adapter drives a runtime:
// preopens as wasmtime-style `--dir HOST::GUEST`, variables as `--env K=V`, guest args after
// `--`. The CLI runs in this process (dist/cli/program.js `main`), so the guest's stdout and
// exit code are this process's, exactly what a user of the command sees.
// argv: <wasm path> <JSON {args, env, dirs: {guest: host}}>
import { withLazySegmenter } from '../../../dist/cli/lazy-segmenter.js';

// As the bin (dist/cli/main.cjs) loads it: see src/cli/lazy-segmenter.ts.
const { main } = await withLazySegmenter(() => import('../../../dist/cli/program.js'));

const [wasmPath, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const flags = [];
for (const [guest, host] of Object.entries(config.dirs)) flags.push('--dir', `${host}::${guest}`);
for (const [k, v] of Object.entries(config.env)) flags.push('--env', `${k}=${v}`);
process.exitCode = await main(['run', wasmPath, ...flags, '--', ...config.args.slice(1)]);
