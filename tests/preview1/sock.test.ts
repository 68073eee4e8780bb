/**
 * sock_*: no socket handles exist in the virtual host, so an open fd is notsock and a
 * closed one badf (the order sock_shutdown-invalid_fd and sock_shutdown-not_sock check).
 */
import { describe, expect, it } from 'vitest';
import { E, Shim } from './shim.js';

describe('sock_accept / sock_recv / sock_send / sock_shutdown', () => {
  it('is badf on a closed fd and notsock on stdio, a file or a directory', async () => {
    const s = await Shim.create({ trees: { '/t': { f: { source: '' } } } });
    const [, file] = s.open('f');
    const calls: [string, (fd: number) => number][] = [
      ['sock_accept', (fd) => s.call['sock_accept']!(fd, 0, 64)],
      ['sock_recv', (fd) => s.call['sock_recv']!(fd, 0, 0, 0, 64, 68)],
      ['sock_send', (fd) => s.call['sock_send']!(fd, 0, 0, 0, 64)],
      ['sock_shutdown', (fd) => s.call['sock_shutdown']!(fd, 1)],
    ];
    for (const [name, call] of calls) {
      expect([name, call(99)]).toEqual([name, E.badf]);
      expect([name, call(-1)]).toEqual([name, E.badf]);
      for (const fd of [0, 1, 2, 3, file]) expect([name, fd, call(fd)]).toEqual([name, fd, E.notsock]);
    }
  });

  it('answers the same when the policy denies sockets', async () => {
    const s = await Shim.create({ policy: { sockets: 'deny' } });
    expect(s.call['sock_shutdown']!(3, 0)).toBe(E.badf);
    expect(s.call['sock_shutdown']!(1, 0)).toBe(E.notsock);
  });
});
