;; A tour for the tracer: args sizes, a clock read, a path_open with flags, an fd_write,
;; a random_get with a length that cannot fit, then proc_exit(3).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 128) "dir/missing.txt")
  (data (i32.const 160) "traced\n")
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 8)))
    ;; dirfd 3, follow symlinks, "dir/missing.txt", creat|trunc, rights fd_read|fd_write, 0, fdflags append
    (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 128) (i32.const 15) (i32.const 9)
      (i64.const 66) (i64.const 0) (i32.const 1) (i32.const 16)))
    (i32.store (i32.const 32) (i32.const 160))
    (i32.store (i32.const 36) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
    (drop (call $random_get (i32.const 65000) (i32.const 1000)))
    (call $proc_exit (i32.const 3))))
