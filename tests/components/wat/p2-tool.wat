;; A small multi-command preview1 guest for the preview2 tests (wrapped with jco's adapter):
;;   env                  print every environment variable as K=V lines
;;   args                 print every argument (argv[0] included), one per line
;;   cat PATH|-           copy a file (from the first preopen, fd 3) or stdin to stdout
;;   ls PATH              list a directory of the first preopen ("." for its root): "T name" lines
;;   stat PATH            "type=T size=N" of a path in the first preopen ("." is the root)
;;   fstat                "type=T" of the first preopen itself (fd_filestat_get)
;;   write PATH TEXT      create/truncate PATH and write TEXT
;;   append PATH TEXT     open PATH for appending and write TEXT
;;   mkdir PATH | rm PATH | rmdir PATH | mv FROM TO
;;   time                 realtime, two monotonic readings, 16 random bytes in hex
;;   exit N               proc_exit(N)
;;   stdio                "out" to stdout, "err" to stderr, then stdin to stdout
;;   preopens             "fd name" of every preopen
;; Types T: 3 directory, 4 regular file, 7 symlink (preview1 filetype numbers).
;; A failing call prints "<what> errno=N" to stderr and exits 1.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 4)

  ;; Layout: 0..63 scratch (iovec at 0, count at 8, fd at 12, time at 16), 64..127 filestat,
  ;; 128..1023 literals, 1024..2047 number text, 4096..8191 argv pointers,
  ;; 8192..65535 argv / environ strings, 65536..131071 io buffer, 131072.. environ pointers.
  (data (i32.const 128) "env\00")
  (data (i32.const 136) "args\00")
  (data (i32.const 144) "cat\00")
  (data (i32.const 152) "ls\00")
  (data (i32.const 160) "stat\00")
  (data (i32.const 168) "fstat\00")
  (data (i32.const 176) "write\00")
  (data (i32.const 184) "append\00")
  (data (i32.const 192) "mkdir\00")
  (data (i32.const 200) "rm\00")
  (data (i32.const 208) "rmdir\00")
  (data (i32.const 216) "mv\00")
  (data (i32.const 224) "time\00")
  (data (i32.const 232) "exit\00")
  (data (i32.const 240) "stdio\00")
  (data (i32.const 248) "preopens\00")
  (data (i32.const 264) "-\00")
  (data (i32.const 272) "\n\00")
  (data (i32.const 280) " errno=\00")
  (data (i32.const 296) "type=\00")
  (data (i32.const 304) " size=\00")
  (data (i32.const 312) " \00")
  (data (i32.const 320) "out\n\00")
  (data (i32.const 328) "err\n\00")
  (data (i32.const 336) "stdout\00")
  (data (i32.const 344) "stdin\00")
  (data (i32.const 352) "open\00")
  (data (i32.const 360) "read\00")
  (data (i32.const 368) "readdir\00")
  (data (i32.const 376) "clock\00")
  (data (i32.const 384) "random\00")
  (data (i32.const 392) "usage\00")
  (data (i32.const 400) "0123456789abcdef")
  (data (i32.const 416) "realtime=\00")
  (data (i32.const 432) " monotonic=\00")
  (data (i32.const 448) " random=\00")
  (data (i32.const 464) "close\00")

  (global $argc (mut i32) (i32.const 0))

  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $n))

  (func $streq (param $a i32) (param $b i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.load8_u (local.get $a)))
      (if (i32.ne (local.get $c) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
      (if (i32.eqz (local.get $c)) (then (return (i32.const 1))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $l))
    (i32.const 0))

  ;; Write all of [p, p+len) to fd (the adapter writes one iovec at a time; loop). Returns errno.
  (func $write (param $fd i32) (param $p i32) (param $len i32) (result i32)
    (local $e i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $len)))
      (i32.store (i32.const 0) (local.get $p))
      (i32.store (i32.const 4) (local.get $len))
      (local.set $e (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $p (i32.add (local.get $p) (i32.load (i32.const 8))))
      (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 8))))
      (br $l)))
    (i32.const 0))

  (func $print (param $fd i32) (param $s i32)
    (drop (call $write (local.get $fd) (local.get $s) (call $strlen (local.get $s)))))

  (func $print_num (param $fd i32) (param $v i64)
    (local $p i32)
    (local.set $p (i32.const 2047))
    (i32.store8 (local.get $p) (i32.const 0))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $l (i64.ne (local.get $v) (i64.const 0))))
    (call $print (local.get $fd) (local.get $p)))

  ;; "<what> errno=N\n" to stderr, then exit 1.
  (func $fail (param $what i32) (param $e i32)
    (call $print (i32.const 2) (local.get $what))
    (call $print (i32.const 2) (i32.const 280))
    (call $print_num (i32.const 2) (i64.extend_i32_u (local.get $e)))
    (call $print (i32.const 2) (i32.const 272))
    (call $proc_exit (i32.const 1)))

  (func $check (param $what i32) (param $e i32)
    (if (local.get $e) (then (call $fail (local.get $what) (local.get $e)))))

  (func $arg (param $i i32) (result i32)
    (if (i32.ge_u (local.get $i) (global.get $argc)) (then (call $fail (i32.const 392) (i32.const 28))))
    (i32.load (i32.add (i32.const 4096) (i32.shl (local.get $i) (i32.const 2)))))

  ;; path_open in the first preopen; returns the fd. Rights as wasi-libc passes them: every
  ;; right but the write ones for a read-only open (O_RDONLY), all of them when writing.
  (func $open (param $path i32) (param $oflags i32) (param $fdflags i32) (param $write i32) (result i32)
    (call $check (i32.const 352)
      (call $path_open (i32.const 3) (i32.const 1) (local.get $path) (call $strlen (local.get $path))
        (local.get $oflags)
        (select (i64.const 0x1fffffff) (i64.const 0x1fbffebe) (local.get $write))
        (i64.const 0x1fffffff) (local.get $fdflags) (i32.const 12)))
    (i32.load (i32.const 12)))

  (func $copy (param $from i32) (param $what i32)
    (local $e i32)
    (loop $l
      (i32.store (i32.const 0) (i32.const 65536))
      (i32.store (i32.const 4) (i32.const 65536))
      (local.set $e (call $fd_read (local.get $from) (i32.const 0) (i32.const 1) (i32.const 8)))
      (if (local.get $e) (then (call $fail (local.get $what) (local.get $e))))
      (if (i32.load (i32.const 8))
        (then
          (call $check (i32.const 336) (call $write (i32.const 1) (i32.const 65536) (i32.load (i32.const 8))))
          (br $l)))))

  (func $cmd_env
    (local $n i32) (local $i i32)
    (call $check (i32.const 128) (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $n (i32.load (i32.const 0)))
    (call $check (i32.const 128) (call $environ_get (i32.const 131072) (i32.const 8192)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (call $print (i32.const 1) (i32.load (i32.add (i32.const 131072) (i32.shl (local.get $i) (i32.const 2)))))
      (call $print (i32.const 1) (i32.const 272))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  (func $cmd_args
    (local $i i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (global.get $argc)))
      (call $print (i32.const 1) (call $arg (local.get $i)))
      (call $print (i32.const 1) (i32.const 272))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  (func $cmd_ls
    (local $fd i32) (local $cookie i64) (local $used i32) (local $p i32) (local $end i32)
    (local $namlen i32) (local $more i32)
    (local.set $fd (call $open (call $arg (i32.const 2)) (i32.const 2) (i32.const 0) (i32.const 0)))
    (loop $batch
      (call $check (i32.const 368)
        (call $fd_readdir (local.get $fd) (i32.const 65536) (i32.const 65536) (local.get $cookie) (i32.const 8)))
      (local.set $used (i32.load (i32.const 8)))
      (local.set $more (i32.eq (local.get $used) (i32.const 65536)))
      (local.set $p (i32.const 65536))
      (local.set $end (i32.add (i32.const 65536) (local.get $used)))
      (block $done (loop $entry
        ;; a whole 24-byte header and its name must fit, else fetch the next batch
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 24)) (local.get $end)))
        (local.set $namlen (i32.load (i32.add (local.get $p) (i32.const 16))))
        (br_if $done (i32.gt_u (i32.add (i32.add (local.get $p) (i32.const 24)) (local.get $namlen)) (local.get $end)))
        (local.set $cookie (i64.load (local.get $p)))
        ;; skip "." and ".."
        (if (i32.eqz
              (i32.or
                (i32.and (i32.eq (local.get $namlen) (i32.const 1))
                  (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 24))) (i32.const 46)))
                (i32.and (i32.eq (local.get $namlen) (i32.const 2))
                  (i32.eq (i32.load16_u (i32.add (local.get $p) (i32.const 24))) (i32.const 0x2e2e)))))
          (then
            (call $print_num (i32.const 1) (i64.load8_u (i32.add (local.get $p) (i32.const 20))))
            (call $print (i32.const 1) (i32.const 312))
            (drop (call $write (i32.const 1) (i32.add (local.get $p) (i32.const 24)) (local.get $namlen)))
            (call $print (i32.const 1) (i32.const 272))))
        (local.set $p (i32.add (i32.add (local.get $p) (i32.const 24)) (local.get $namlen)))
        (br $entry)))
      (br_if $batch (local.get $more)))
    (drop (call $fd_close (local.get $fd))))

  (func $print_stat (param $typeOnly i32)
    (call $print (i32.const 1) (i32.const 296))
    (call $print_num (i32.const 1) (i64.load8_u (i32.const 80)))
    (if (i32.eqz (local.get $typeOnly))
      (then
        (call $print (i32.const 1) (i32.const 304))
        (call $print_num (i32.const 1) (i64.load (i32.const 96)))))
    (call $print (i32.const 1) (i32.const 272)))

  (func $cmd_time
    (local $i i32) (local $b i32)
    (call $print (i32.const 1) (i32.const 416))
    (call $check (i32.const 376) (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 16)))
    (call $print_num (i32.const 1) (i64.load (i32.const 16)))
    (call $print (i32.const 1) (i32.const 432))
    (call $check (i32.const 376) (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 16)))
    (call $print_num (i32.const 1) (i64.load (i32.const 16)))
    (call $print (i32.const 1) (i32.const 312))
    (call $check (i32.const 376) (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 16)))
    (call $print_num (i32.const 1) (i64.load (i32.const 16)))
    (call $print (i32.const 1) (i32.const 448))
    (call $check (i32.const 384) (call $random_get (i32.const 32) (i32.const 16)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (i32.const 16)))
      (local.set $b (i32.load8_u (i32.add (i32.const 32) (local.get $i))))
      (i32.store8 (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 400) (i32.shr_u (local.get $b) (i32.const 4)))))
      (i32.store8 (i32.add (i32.const 1025) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 400) (i32.and (local.get $b) (i32.const 15)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (drop (call $write (i32.const 1) (i32.const 1024) (i32.const 32)))
    (call $print (i32.const 1) (i32.const 272)))

  (func $cmd_stdio
    (local $e i32)
    (local.set $e (call $write (i32.const 1) (i32.const 320) (i32.const 4)))
    (if (local.get $e)
      (then
        (call $print (i32.const 2) (i32.const 336))
        (call $print (i32.const 2) (i32.const 280))
        (call $print_num (i32.const 2) (i64.extend_i32_u (local.get $e)))
        (call $print (i32.const 2) (i32.const 272))))
    (drop (call $write (i32.const 2) (i32.const 328) (i32.const 4)))
    (call $copy (i32.const 0) (i32.const 344)))

  (func $cmd_preopens
    (local $fd i32) (local $len i32)
    (local.set $fd (i32.const 3))
    (block $d (loop $l
      (br_if $d (call $fd_prestat_get (local.get $fd) (i32.const 0)))
      (local.set $len (i32.load (i32.const 4)))
      (call $check (i32.const 248) (call $fd_prestat_dir_name (local.get $fd) (i32.const 65536) (local.get $len)))
      (call $print_num (i32.const 1) (i64.extend_i32_u (local.get $fd)))
      (call $print (i32.const 1) (i32.const 312))
      (drop (call $write (i32.const 1) (i32.const 65536) (local.get $len)))
      (call $print (i32.const 1) (i32.const 272))
      (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
      (br $l))))

  (func $atoi (param $p i32) (result i32)
    (local $n i32) (local $c i32)
    (block $d (loop $l
      (local.set $c (i32.load8_u (local.get $p)))
      (br_if $d (i32.lt_u (local.get $c) (i32.const 48)))
      (br_if $d (i32.gt_u (local.get $c) (i32.const 57)))
      (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
    (local.get $n))

  (func (export "_start")
    (local $cmd i32) (local $fd i32) (local $p i32)
    (call $check (i32.const 136) (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (global.set $argc (i32.load (i32.const 0)))
    (call $check (i32.const 136) (call $args_get (i32.const 4096) (i32.const 8192)))
    (local.set $cmd (call $arg (i32.const 1)))
    (if (call $streq (local.get $cmd) (i32.const 128)) (then (call $cmd_env) (return)))
    (if (call $streq (local.get $cmd) (i32.const 136)) (then (call $cmd_args) (return)))
    (if (call $streq (local.get $cmd) (i32.const 144))
      (then
        (local.set $p (call $arg (i32.const 2)))
        (if (call $streq (local.get $p) (i32.const 264))
          (then (call $copy (i32.const 0) (i32.const 344)))
          (else
            (local.set $fd (call $open (local.get $p) (i32.const 0) (i32.const 0) (i32.const 0)))
            (call $copy (local.get $fd) (i32.const 360))
            (call $check (i32.const 464) (call $fd_close (local.get $fd)))))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 152)) (then (call $cmd_ls) (return)))
    (if (call $streq (local.get $cmd) (i32.const 160))
      (then
        (local.set $p (call $arg (i32.const 2)))
        (call $check (i32.const 160)
          (call $path_filestat_get (i32.const 3) (i32.const 1) (local.get $p) (call $strlen (local.get $p)) (i32.const 64)))
        (call $print_stat (i32.const 0))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 168))
      (then
        (call $check (i32.const 168) (call $fd_filestat_get (i32.const 3) (i32.const 64)))
        (call $print_stat (i32.const 1))
        (return)))
    (if (i32.or (call $streq (local.get $cmd) (i32.const 176)) (call $streq (local.get $cmd) (i32.const 184)))
      (then
        (if (call $streq (local.get $cmd) (i32.const 176))
          (then (local.set $fd (call $open (call $arg (i32.const 2)) (i32.const 9) (i32.const 0) (i32.const 1))))
          (else (local.set $fd (call $open (call $arg (i32.const 2)) (i32.const 1) (i32.const 1) (i32.const 1)))))
        (local.set $p (call $arg (i32.const 3)))
        (call $check (i32.const 176) (call $write (local.get $fd) (local.get $p) (call $strlen (local.get $p))))
        (call $check (i32.const 464) (call $fd_close (local.get $fd)))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 192))
      (then
        (local.set $p (call $arg (i32.const 2)))
        (call $check (i32.const 192) (call $path_create_directory (i32.const 3) (local.get $p) (call $strlen (local.get $p))))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 200))
      (then
        (local.set $p (call $arg (i32.const 2)))
        (call $check (i32.const 200) (call $path_unlink_file (i32.const 3) (local.get $p) (call $strlen (local.get $p))))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 208))
      (then
        (local.set $p (call $arg (i32.const 2)))
        (call $check (i32.const 208) (call $path_remove_directory (i32.const 3) (local.get $p) (call $strlen (local.get $p))))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 216))
      (then
        (local.set $p (call $arg (i32.const 2)))
        (local.set $fd (call $arg (i32.const 3)))
        (call $check (i32.const 216)
          (call $path_rename (i32.const 3) (local.get $p) (call $strlen (local.get $p))
            (i32.const 3) (local.get $fd) (call $strlen (local.get $fd))))
        (return)))
    (if (call $streq (local.get $cmd) (i32.const 224)) (then (call $cmd_time) (return)))
    (if (call $streq (local.get $cmd) (i32.const 232)) (then (call $proc_exit (call $atoi (call $arg (i32.const 2))))))
    (if (call $streq (local.get $cmd) (i32.const 240)) (then (call $cmd_stdio) (return)))
    (if (call $streq (local.get $cmd) (i32.const 248)) (then (call $cmd_preopens) (return)))
    (call $fail (i32.const 392) (i32.const 28))))
