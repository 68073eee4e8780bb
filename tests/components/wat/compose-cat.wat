;; cat for compose tests: prints the file argv[1] (relative to preopen fd 3; leading
;; slashes dropped) to stdout, then exits with argc - 2 (the number of extra arguments),
;; so a test sees both the file system and the exit code. No argument: usage, exit 2.
;; Open failure: a message on stderr, exit 100 + errno.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 2048) "usage: cat PATH\n")
  (data (i32.const 2080) "cat: cannot open\n")

  ;; Loop until every byte is out: the preview1 adapter writes one iovec at a time.
  (func $write_all (param $fd i32) (param $ptr i32) (param $len i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 1024) (local.get $ptr))
        (i32.store (i32.const 1028) (local.get $len))
        (br_if $done (call $fd_write (local.get $fd) (i32.const 1024) (i32.const 1) (i32.const 1032)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 1032))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 1032))))
        (br $more))))

  (func (export "_start")
    (local $path i32) (local $len i32) (local $err i32) (local $fd i32) (local $n i32)
    (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
    (if (i32.lt_u (i32.load (i32.const 100)) (i32.const 2))
      (then
        (call $write_all (i32.const 2) (i32.const 2048) (i32.const 16))
        (call $proc_exit (i32.const 2))))
    (drop (call $args_get (i32.const 200) (i32.const 300)))
    (local.set $path (i32.load (i32.const 204)))
    (block $b (loop $l
      (br_if $b (i32.ne (i32.load8_u (local.get $path)) (i32.const 47)))
      (local.set $path (i32.add (local.get $path) (i32.const 1)))
      (br $l)))
    (block $b2 (loop $l2
      (br_if $b2 (i32.eqz (i32.load8_u (i32.add (local.get $path) (local.get $len)))))
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (br $l2)))
    (local.set $err (call $path_open (i32.const 3) (i32.const 1) (local.get $path) (local.get $len)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)))
    (if (local.get $err)
      (then
        (call $write_all (i32.const 2) (i32.const 2080) (i32.const 17))
        (call $proc_exit (i32.add (i32.const 100) (local.get $err)))))
    (local.set $fd (i32.load (i32.const 1000)))
    (block $eof (loop $read
      (i32.store (i32.const 1008) (i32.const 4096))
      (i32.store (i32.const 1012) (i32.const 4096))
      (br_if $eof (call $fd_read (local.get $fd) (i32.const 1008) (i32.const 1) (i32.const 1016)))
      (local.set $n (i32.load (i32.const 1016)))
      (br_if $eof (i32.eqz (local.get $n)))
      (call $write_all (i32.const 1) (i32.const 4096) (local.get $n))
      (br $read)))
    (call $proc_exit (i32.sub (i32.load (i32.const 100)) (i32.const 2)))))
