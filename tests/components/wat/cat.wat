;; Copies stdin to stdout in reads of up to 4 KiB until EOF; exits with the first failing errno.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $r i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (block $eof (loop $more
      (i32.store (i32.const 4) (i32.const 4096))
      (local.set $r (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (if (local.get $r) (then (call $proc_exit (local.get $r))))
      (br_if $eof (i32.eqz (i32.load (i32.const 8))))
      (i32.store (i32.const 4) (i32.load (i32.const 8)))
      (local.set $r (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
      (if (local.get $r) (then (call $proc_exit (local.get $r))))
      (br $more)))))
