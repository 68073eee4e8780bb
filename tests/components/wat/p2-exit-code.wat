;; A native preview2 component guest: calls wasi:cli/exit#exit-with-code(42), which the
;; preview1 adapter never does (it collapses proc_exit(N) to ok/err). World
;; `exit-code-guest` in p2-tcp.wit.
(module
  (import "wasi:cli/exit@0.2.12" "exit-with-code" (func $exit_with_code (param i32)))
  (memory (export "memory") 1)
  (func (export "wasi:cli/run@0.2.12#run") (result i32)
    (call $exit_with_code (i32.const 42))
    (i32.const 0)))
