;; Calls the four args/environ functions and leaves every result in memory for the test:
;; 0 argc, 4 argv_buf_size, 8 envc, 12 environ_buf_size, 16..31 the four errnos,
;; 1024 argv pointers, 2048 argv strings, 4096 environ pointers, 8192 environ strings.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 16) (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (i32.store (i32.const 20) (call $args_get (i32.const 1024) (i32.const 2048)))
    (i32.store (i32.const 24) (call $environ_sizes_get (i32.const 8) (i32.const 12)))
    (i32.store (i32.const 28) (call $environ_get (i32.const 4096) (i32.const 8192)))))
