;; Renumbers its stderr over its stdout (closing the old fd 1), writes through the new
;; fd 1, and exits with the errno of a write to the now-closed fd 2.
(module
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "guest fd 1 is now its stderr\n")
  (func (export "_start")
    (drop (call $fd_renumber (i32.const 2) (i32.const 1)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 29))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))))
