;; Grows its memory from 1 page to 17 (1,114,112 bytes), then writes "grown\n" to
;; stdout: the guest of limits.memory-bytes.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "grown\n")
  (func (export "_start")
    (drop (memory.grow (i32.const 16)))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
