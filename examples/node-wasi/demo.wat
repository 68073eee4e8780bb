;; Hello world through fd_write: the kind of module Node's WASI docs start from.
;; `wasi-virt run examples/node-wasi/demo.wat` compiles this text with wabt and runs it;
;; examples/node-wasi/run.mjs runs it through the node:wasi-compatible WASI class.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $nwritten i32) (result i32)))

  (memory (export "memory") 1)

  ;; The text at 16; one iovec at 0 pointing at it; the count written lands at 8.
  (data (i32.const 16) "hello from demo.wat\n")

  (func $main (export "_start")
    (i32.store (i32.const 0) (i32.const 16))  ;; iov.buf
    (i32.store (i32.const 4) (i32.const 20))  ;; iov.buf_len
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
