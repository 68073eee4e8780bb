;; Reads every clock twice and every resolution once, plus clock id 7 (none such).
;; For id in 0..3: time at 64 + id*16 (first) and 72 + id*16 (second), errno at 0 + id*4;
;; resolution at 192 + id*8, errno at 32 + id*4. Clock 7: errno at 16, resolution errno at 48.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $res (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $id i32)
    (loop $each
      (i32.store (i32.shl (local.get $id) (i32.const 2))
        (call $time (local.get $id) (i64.const 1) (i32.add (i32.const 64) (i32.shl (local.get $id) (i32.const 4)))))
      (drop (call $time (local.get $id) (i64.const 0) (i32.add (i32.const 72) (i32.shl (local.get $id) (i32.const 4)))))
      (i32.store (i32.add (i32.const 32) (i32.shl (local.get $id) (i32.const 2)))
        (call $res (local.get $id) (i32.add (i32.const 192) (i32.shl (local.get $id) (i32.const 3)))))
      (local.set $id (i32.add (local.get $id) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $id) (i32.const 4))))
    (i32.store (i32.const 16) (call $time (i32.const 7) (i64.const 0) (i32.const 256)))
    (i32.store (i32.const 48) (call $res (i32.const 7) (i32.const 256)))))
