import fs from 'node:fs';
const { WASI } = await import('./dist/node.js');
const wabt = await (await import('wabt')).default();
const P1 = 'wasi_snapshot_preview1';
const imp = (name, params) => `(import "${P1}" "${name}" (func $${name} (param ${params}) (result i32)))`;
const op = process.argv[2];
const src = {
 openclose: `(module ${imp('path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32')} ${imp('fd_close', 'i32')}
    (memory (export "memory") 1) (data (i32.const 256) "f.txt")
    (func (export "_start") (local $n i32) (local.set $n (i32.const 200000))
      (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))
        (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.const 5) (i32.const 0) (i64.const 2097190) (i64.const 0) (i32.const 0) (i32.const 20)))
        (drop (call $fd_close (i32.load (i32.const 20))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))))`,
 stat: `(module ${imp('path_filestat_get', 'i32 i32 i32 i32 i32')}
    (memory (export "memory") 1) (data (i32.const 256) "f.txt")
    (func (export "_start") (local $n i32) (local.set $n (i32.const 200000))
      (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))
        (drop (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 256) (i32.const 5) (i32.const 512)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))))`,
}[op];
const m = wabt.parseWat('x.wat', src); const mod = new WebAssembly.Module(m.toBinary({}).buffer);
const w = new WASI({ version: 'preview1', preopens: { '/d': '/tmp/sp/oc' } });
const t = performance.now();
w.start(new WebAssembly.Instance(mod, w.getImportObject()));
console.log(op, ((performance.now() - t) * 1000 / 200000).toFixed(2), 'us/op');
