;; Closes fds 0, 1 and 2, then traps: the host must still be able to report the trap.
(module
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_close (i32.const 0)))
    (drop (call $fd_close (i32.const 1)))
    (drop (call $fd_close (i32.const 2)))
    unreachable))
