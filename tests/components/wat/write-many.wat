;; fd_write of the 16 bytes at 64 to stdout, as many times as the u32 at address 0 says
;; (the host sets it), one call each: the coalescing benchmark and stress guest.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "0123456789abcde\n")
  (func (export "_start")
    (local $n i32)
    (local.set $n (i32.load (i32.const 0)))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 16))
    (block $done (loop $again
      (br_if $done (i32.eqz (local.get $n)))
      (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $again)))))
