/**
 * sock_accept, sock_recv, sock_send, sock_shutdown. The virtual host hands out no socket
 * handles (preopened sockets, `wasmtime --tcplisten`, are out of scope), so every call on
 * an open fd is notsock and on a closed one badf, the order the suite checks (badf first,
 * so shutdown(3) with no preopens is EBADF and shutdown(1) is ENOTSOCK). Should socket
 * handles arrive, they would answer here; until then a socket-typed handle is notsup.
 */
import { fail } from '../../virtual-fs/errors.js';
import { syscall, type Imports, type Preview1Context } from './context.js';

export default function sockImports(ctx: Preview1Context): Imports {
  const notSocket = (fd: number): never => {
    const e = ctx.fds.get(fd);
    if (e.handle.fileType !== 'socket') fail('notsock', `fd ${fd} is not a socket`);
    return fail('notsup', 'socket operations are not supported');
  };
  return {
    sock_accept: syscall(ctx, (fd: number, _flags: number, _fdPtr: number) => notSocket(fd)),
    sock_recv: syscall(ctx, (fd: number, _ri: number, _riLen: number, _riFlags: number, _roLen: number, _roFlags: number) => notSocket(fd)),
    sock_send: syscall(ctx, (fd: number, _si: number, _siLen: number, _siFlags: number, _soLen: number) => notSocket(fd)),
    sock_shutdown: syscall(ctx, (fd: number, _how: number) => notSocket(fd)),
  };
}
