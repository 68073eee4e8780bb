;; Opens "." under preopen fd 3 until an open fails, holding every fd it got, then
;; prints "<opened> <errno>\n" to stdout: the open-files limit's guest (limits.open-files).
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) ".")
  ;; Decimal digits of $v ending just before $end; returns where they start.
  (func $itoa (param $v i32) (param $end i32) (result i32)
    (loop $more
      (local.set $end (i32.sub (local.get $end) (i32.const 1)))
      (i32.store8 (local.get $end) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $more (local.get $v)))
    (local.get $end))
  (func (export "_start")
    (local $n i32) (local $err i32) (local $at i32)
    (block $done (loop $again
      (local.set $err (call $path_open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 1)
        (i32.const 2) (i64.const 0x4002) (i64.const 0x4002) (i32.const 0) (i32.const 0)))
      (br_if $done (local.get $err))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $done (i32.ge_u (local.get $n) (i32.const 100000)))
      (br $again)))
    ;; "<n> <err>\n" built backwards from 1000
    (i32.store8 (i32.const 999) (i32.const 10))
    (local.set $at (call $itoa (local.get $err) (i32.const 999)))
    (local.set $at (i32.sub (local.get $at) (i32.const 1)))
    (i32.store8 (local.get $at) (i32.const 32))
    (local.set $at (call $itoa (local.get $n) (local.get $at)))
    (i32.store (i32.const 16) (local.get $at))
    (i32.store (i32.const 20) (i32.sub (i32.const 1000) (local.get $at)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
