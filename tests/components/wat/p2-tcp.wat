;; A native preview2 component guest (no preview1 adapter): `p2-tcp <port>` connects to
;; 127.0.0.1:<port> through wasi:sockets/tcp, sends "ping\n", and copies whatever the peer
;; answers to stdout until the peer closes. On a failing call it prints
;; "error <step> <code>\n" (code: the wasi:sockets error-code enum index) and returns err.
;; Built with tests/components/wat/p2-tcp.wit (world `tcp-guest`) by componentEmbed +
;; componentNew.
(module
  (import "wasi:cli/environment@0.2.12" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:cli/stdout@0.2.12" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:sockets/instance-network@0.2.12" "instance-network" (func $instance_network (result i32)))
  (import "wasi:sockets/tcp-create-socket@0.2.12" "create-tcp-socket" (func $create_tcp_socket (param i32 i32)))
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.start-connect"
    (func $start_connect (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.finish-connect" (func $finish_connect (param i32 i32)))
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.subscribe" (func $tcp_subscribe (param i32) (result i32)))
  (import "wasi:sockets/tcp@0.2.12" "[resource-drop]tcp-socket" (func $drop_socket (param i32)))
  (import "wasi:sockets/network@0.2.12" "[resource-drop]network" (func $drop_network (param i32)))
  (import "wasi:io/poll@0.2.12" "[method]pollable.block" (func $block (param i32)))
  (import "wasi:io/poll@0.2.12" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  (import "wasi:io/streams@0.2.12" "[method]input-stream.blocking-read" (func $blocking_read (param i32 i64 i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]input-stream" (func $drop_input (param i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]output-stream" (func $drop_output (param i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))

  ;; 0..31: return areas; 64..: literals; 1024..: number text
  (data (i32.const 64) "ping\n")
  (data (i32.const 80) "error ")
  (data (i32.const 96) "create")
  (data (i32.const 112) "connect")
  (data (i32.const 128) "finish")
  (data (i32.const 144) "write")
  (data (i32.const 160) "read")

  ;; Bump allocator for the lists and strings the host hands back.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
      (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $heap) (i32.shl (memory.size) (i32.const 16))) (i32.const 16)) (i32.const 1))))))
    (local.get $p))

  (func $out (param $p i32) (param $n i32)
    (call $write_and_flush (call $get_stdout) (local.get $p) (local.get $n) (i32.const 16)))

  ;; "error <step> <code>\n", then the caller returns err.
  (func $error (param $step i32) (param $len i32) (param $code i32)
    (local $p i32)
    (call $out (i32.const 80) (i32.const 6))
    (call $out (local.get $step) (local.get $len))
    (local.set $p (i32.const 1040))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $code) (i32.const 10))))
      (local.set $code (i32.div_u (local.get $code) (i32.const 10)))
      (br_if $d (local.get $code)))
    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
    (i32.store8 (local.get $p) (i32.const 32))
    (call $out (local.get $p) (i32.sub (i32.const 1041) (local.get $p))))

  (func $port (result i32)
    (local $s i32) (local $len i32) (local $n i32) (local $i i32)
    (call $get_arguments (i32.const 0))
    ;; argv[1]: element 1 of the list at [0], each element (ptr, len)
    (local.set $s (i32.load (i32.add (i32.load (i32.const 0)) (i32.const 8))))
    (local.set $len (i32.load (i32.add (i32.load (i32.const 0)) (i32.const 12))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
        (i32.sub (i32.load8_u (i32.add (local.get $s) (local.get $i))) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $n))

  (func (export "wasi:cli/run@0.2.12#run") (result i32)
    (local $net i32) (local $sock i32) (local $poll i32) (local $in i32) (local $outs i32)
    (local.set $net (call $instance_network))
    (call $create_tcp_socket (i32.const 0) (i32.const 0))
    (if (i32.load8_u (i32.const 0))
      (then (call $error (i32.const 96) (i32.const 6) (i32.load8_u (i32.const 4))) (return (i32.const 1))))
    (local.set $sock (i32.load (i32.const 4)))
    ;; ip-socket-address::ipv4 { port, 127.0.0.1 }, padded to the ipv6 case's 11 slots
    (call $start_connect (local.get $sock) (local.get $net)
      (i32.const 0) (call $port) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0))
    (if (i32.load8_u (i32.const 0))
      (then (call $error (i32.const 112) (i32.const 7) (i32.load8_u (i32.const 1))) (return (i32.const 1))))
    ;; finish-connect, waiting on the socket's pollable while it would block (8)
    (loop $wait
      (call $finish_connect (local.get $sock) (i32.const 0))
      (if (i32.load8_u (i32.const 0))
        (then
          (if (i32.eq (i32.load8_u (i32.const 4)) (i32.const 8))
            (then
              (local.set $poll (call $tcp_subscribe (local.get $sock)))
              (call $block (local.get $poll))
              (call $drop_pollable (local.get $poll))
              (br $wait)))
          (call $error (i32.const 128) (i32.const 6) (i32.load8_u (i32.const 4)))
          (return (i32.const 1)))))
    (local.set $in (i32.load (i32.const 4)))
    (local.set $outs (i32.load (i32.const 8)))
    (call $write_and_flush (local.get $outs) (i32.const 64) (i32.const 5) (i32.const 0))
    (if (i32.load8_u (i32.const 0))
      (then (call $error (i32.const 144) (i32.const 5) (i32.load8_u (i32.const 4))) (return (i32.const 1))))
    ;; copy the answer to stdout until the stream closes
    (block $eof (loop $read
      (call $blocking_read (local.get $in) (i64.const 4096) (i32.const 0))
      (if (i32.load8_u (i32.const 0))
        (then
          (br_if $eof (i32.eq (i32.load8_u (i32.const 4)) (i32.const 1)))
          (call $error (i32.const 160) (i32.const 4) (i32.const 0))
          (return (i32.const 1))))
      (call $out (i32.load (i32.const 4)) (i32.load (i32.const 8)))
      (br $read)))
    (call $drop_input (local.get $in))
    (call $drop_output (local.get $outs))
    (call $drop_socket (local.get $sock))
    (call $drop_network (local.get $net))
    (i32.const 0)))
