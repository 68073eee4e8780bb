;; Test-case guest "cwd", a native preview2 component (world `case-cwd` in case-cwd.wit):
;; prints "cwd=<wasi:cli/environment#initial-cwd>\n", or "cwd=none\n" when there is none.
;; preview1 has no initial working directory (wasi-libc starts at "/" and jco's preview1
;; adapter never asks), so only a native component can observe the policy's `cwd`.
(module
  (import "wasi:cli/environment@0.2.12" "initial-cwd" (func $initial_cwd (param i32)))
  (import "wasi:cli/stdout@0.2.12" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]output-stream" (func $drop_output (param i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))

  ;; 0..15: initial-cwd's return area (option tag @0, string ptr @4, len @8);
  ;; 16..31: the write's return area; 64..: literals.
  (data (i32.const 64) "cwd=")
  (data (i32.const 72) "none")
  (data (i32.const 80) "\n")

  ;; Bump allocator for the string the host hands back.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "wasi:cli/run@0.2.12#run") (result i32)
    (local $out i32)
    (local.set $out (call $get_stdout))
    (call $initial_cwd (i32.const 0))
    (call $write_and_flush (local.get $out) (i32.const 64) (i32.const 4) (i32.const 16))
    (if (i32.load8_u (i32.const 0))
      (then (call $write_and_flush (local.get $out) (i32.load (i32.const 4)) (i32.load (i32.const 8)) (i32.const 16)))
      (else (call $write_and_flush (local.get $out) (i32.const 72) (i32.const 4) (i32.const 16))))
    (call $write_and_flush (local.get $out) (i32.const 80) (i32.const 1) (i32.const 16))
    (call $drop_output (local.get $out))
    (i32.const 0))
)
