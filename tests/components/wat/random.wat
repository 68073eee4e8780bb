;; random_get of 64 bytes at 1024 (errno at 0), of 0 bytes (errno at 4), and of a length
;; that cannot fit in memory (errno at 8).
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 0) (call $random_get (i32.const 1024) (i32.const 64)))
    (i32.store (i32.const 4) (call $random_get (i32.const 2048) (i32.const 0)))
    (i32.store (i32.const 8) (call $random_get (i32.const 1024) (i32.const -1)))))
