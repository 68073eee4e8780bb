;; proc_exit(N) where N is argv[1] read as a decimal number (0 without an argv[1]).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $p i32) (local $n i32) (local $c i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (if (i32.ge_u (i32.load (i32.const 0)) (i32.const 2))
      (then
        (local.set $p (i32.load (i32.const 1028)))
        (block $done
          (loop $digits
            (local.set $c (i32.load8_u (local.get $p)))
            (br_if $done (i32.lt_u (local.get $c) (i32.const 48)))
            (br_if $done (i32.gt_u (local.get $c) (i32.const 57)))
            (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $digits)))))
    (call $proc_exit (local.get $n))))
