;; proc_raise(signal stored at address 0 by the host); the errno goes to address 4.
(module
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 8) (call $sched_yield))
    (i32.store (i32.const 4) (call $proc_raise (i32.load (i32.const 0))))))
