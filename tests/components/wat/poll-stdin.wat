;; poll_oneoff on stdin (not ready) and a 20 ms monotonic clock; exits with the userdata
;; of the first event (1 stdin, 2 the clock): the guest of the one waiting mechanism.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; subscription 0 at 0: userdata 1, fd_read (1) on fd 0
    (i64.store (i32.const 0) (i64.const 1))
    (i32.store8 (i32.const 8) (i32.const 1))
    (i32.store (i32.const 16) (i32.const 0))
    ;; subscription 1 at 48: userdata 2, clock (0), monotonic (1), 20 ms relative
    (i64.store (i32.const 48) (i64.const 2))
    (i32.store8 (i32.const 56) (i32.const 0))
    (i32.store (i32.const 64) (i32.const 1))
    (i64.store (i32.const 72) (i64.const 20000000))
    (i64.store (i32.const 80) (i64.const 0))
    (i32.store16 (i32.const 88) (i32.const 0))
    (if (call $poll (i32.const 0) (i32.const 200) (i32.const 2) (i32.const 300))
      (then (call $exit (i32.const 99))))
    (call $exit (i32.wrap_i64 (i64.load (i32.const 200))))))
