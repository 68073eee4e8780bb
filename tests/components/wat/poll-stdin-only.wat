;; poll_oneoff on stdin alone; exits with the userdata of the first event (1): a single
;; not-ready stream, which wasi:io/poll once re-checked in a spin.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i64.store (i32.const 0) (i64.const 1))
    (i32.store8 (i32.const 8) (i32.const 1))
    (i32.store (i32.const 16) (i32.const 0))
    (if (call $poll (i32.const 0) (i32.const 200) (i32.const 1) (i32.const 300))
      (then (call $exit (i32.const 99))))
    (call $exit (i32.wrap_i64 (i64.load (i32.const 200))))))
