import { readFileSync, writeFileSync, openSync } from 'node:fs';
const root = '/work/wt-speed';
const dist = root + '/dist/';
const { Kernel } = await import(dist + 'adapter/kernel/index.js');
const { instantiateComponent, runToCompletion, loadComponent } = await import(dist + 'adapter/preview2/instantiate.js');
const { createPreview2 } = await import(dist + 'adapter/preview2/index.js');
const wabt = await (await import(root + '/node_modules/wabt/index.js')).default();
const m = wabt.parseWat('h.wat', readFileSync(root + '/tests/components/wat/hello.wat', 'utf8'));
const core = new Uint8Array(m.toBinary({}).buffer);
const jco = await import(root + '/node_modules/@bytecodealliance/jco/src/api.js').catch(() => import('@bytecodealliance/jco'));
const { fileURLToPath } = await import('node:url');
const adapter = readFileSync(fileURLToPath(jco.preview1AdapterCommandPath()));
const comp = await jco.componentNew(core, [['wasi_snapshot_preview1', adapter]]);
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');
const devnull = openSync('/dev/null', 'w');
const sink = { write() {}, flush() {} };
const coreMod = new WebAssembly.Module(core);
const N = 200;
const policy = { stdio: { stdout: 'allow' } };
async function ours() {
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    const host = new Kernel({ policy: {}, stdout: sink });
    const { exports } = await instantiateComponent(comp, host);
    runToCompletion(exports);
    host.dispose();
  }
  return (performance.now() - t) / N;
}
function theirs() {
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    const w = new WASI({ version: 'preview1', stdout: devnull });
    const inst = new WebAssembly.Instance(coreMod, w.getImportObject());
    w.start(inst);
  }
  return (performance.now() - t) / N;
}
await ours(); theirs();
for (let r = 0; r < 3; r++) console.log('ours', (await ours()).toFixed(3), 'ms  node:wasi', theirs().toFixed(3), 'ms');
if (process.argv[2] === 'prof') { const { Session } = await import('node:inspector'); }
