;; Repeats one WASI call N times, for per-call benchmarks: `p2-bench <op> <N>` with op
;;   write  fd_write("x\n") to stdout
;;   pread  fd_pread 4 KiB at offset 0 of data.bin in the first preopen
;;   read   fd_read 4 KiB of data.bin, then fd_seek back to 0
;;   open   path_open data.bin + fd_close
;;   stat   path_filestat_get data.bin
;; Exits 1 (proc_exit) on the first failing call.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  ;; 0: argc, 4: argv buf size, 16..: argv pointers, 256..: argv strings
  ;; 1024: iovec, 1040: nwritten/nread, 1048: fd, 1056: "x\n", 1072: "data.bin", 1200: filestat
  ;; 8192..12288: read buffer
  (data (i32.const 1056) "x\n")
  (data (i32.const 1072) "data.bin")

  (func $check (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (i32.const 1)))))

  ;; Decimal string at $p (NUL-terminated) to i32.
  (func $atoi (param $p i32) (result i32)
    (local $n i32) (local $c i32)
    (block $done
      (loop $next
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done (i32.lt_u (local.get $c) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 57)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $n))

  (func $open_data (result i32)
    ;; dirfd 3, follow symlinks, "data.bin", no oflags, rights fd_read|fd_seek|fd_filestat_get
    (call $check (call $path_open (i32.const 3) (i32.const 1) (i32.const 1072) (i32.const 8)
      (i32.const 0) (i64.const 0x200006) (i64.const 0) (i32.const 0) (i32.const 1048)))
    (i32.load (i32.const 1048)))

  (func (export "_start")
    (local $op i32) (local $n i32) (local $i i32) (local $fd i32)
    (call $check (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (if (i32.lt_u (i32.load (i32.const 0)) (i32.const 3)) (then (call $proc_exit (i32.const 2))))
    (call $check (call $args_get (i32.const 16) (i32.const 256)))
    (local.set $op (i32.load8_u (i32.load (i32.const 20))))
    (local.set $n (call $atoi (i32.load (i32.const 24))))

    ;; write
    (if (i32.eq (local.get $op) (i32.const 119))
      (then
        (loop $w
          (if (i32.lt_u (local.get $i) (local.get $n))
            (then
              (i32.store (i32.const 1024) (i32.const 1056))
              (i32.store (i32.const 1028) (i32.const 2))
              (call $check (call $fd_write (i32.const 1) (i32.const 1024) (i32.const 1) (i32.const 1040)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $w))))
        (return)))

    ;; pread (p) and read (r)
    (if (i32.or (i32.eq (local.get $op) (i32.const 112)) (i32.eq (local.get $op) (i32.const 114)))
      (then
        (local.set $fd (call $open_data))
        (loop $r
          (if (i32.lt_u (local.get $i) (local.get $n))
            (then
              (i32.store (i32.const 1024) (i32.const 8192))
              (i32.store (i32.const 1028) (i32.const 4096))
              (if (i32.eq (local.get $op) (i32.const 112))
                (then (call $check (call $fd_pread (local.get $fd) (i32.const 1024) (i32.const 1) (i64.const 0) (i32.const 1040))))
                (else
                  (call $check (call $fd_read (local.get $fd) (i32.const 1024) (i32.const 1) (i32.const 1040)))
                  (call $check (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 1200)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $r))))
        (return)))

    ;; open
    (if (i32.eq (local.get $op) (i32.const 111))
      (then
        (loop $o
          (if (i32.lt_u (local.get $i) (local.get $n))
            (then
              (call $check (call $fd_close (call $open_data)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $o))))
        (return)))

    ;; stat
    (if (i32.eq (local.get $op) (i32.const 115))
      (then
        (loop $s
          (if (i32.lt_u (local.get $i) (local.get $n))
            (then
              (call $check (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 1072) (i32.const 8) (i32.const 1200)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $s))))
        (return)))
    (call $proc_exit (i32.const 2))))
