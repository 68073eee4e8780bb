/**
 * The 0.3 network under the policy, in process: denied sockets cannot be created, and the
 * allowed UdpSocket (preview3-shim's) answers a send to remote port 0 with
 * `address-not-bindable` as WASI says (the shim itself says `invalid-argument`), while
 * its other answers and its implicit bind are the shim's. Loopback only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../src/adapter/kernel/index.js';
import { createPreview3 } from '../../src/adapter/preview3/index.js';
import { loadNetwork3 } from '../../src/adapter/preview3/network-node.js';

type Addr = { tag: 'ipv4'; val: { address: number[]; port: number } };
type Udp = {
  send(data: Uint8Array, remote?: Addr): Promise<void>;
  getLocalAddress(): Addr;
  [Symbol.dispose]?(): void;
};
type UdpClass = { create(family: string): Udp };

const lo = (port: number): Addr => ({ tag: 'ipv4', val: { address: [127, 0, 0, 1], port } });
const payload = (e: unknown) => (e as { payload?: unknown }).payload;
const made: Udp[] = [];
afterAll(() => { for (const s of made) s[Symbol.dispose]?.(); });

describe('wasi:sockets@0.3 under the policy', () => {
  it('denied: creating a socket answers access-denied', () => {
    const imports = createPreview3(new Kernel({ policy: { sockets: 'deny' } }));
    const Udp = imports['wasi:sockets/types']!['UdpSocket'] as UdpClass;
    expect(() => Udp.create('ipv4')).toThrow();
    try { Udp.create('ipv4'); } catch (e) { expect(payload(e)).toEqual({ tag: 'access-denied' }); }
  });

  it('allowed: a send to port 0 is address-not-bindable; a real send binds implicitly', async () => {
    const network3 = await loadNetwork3({ sockets: true, http: false });
    const imports = createPreview3(new Kernel({ policy: { sockets: 'allow' } }), { network3 });
    const Udp = imports['wasi:sockets/types']!['UdpSocket'] as UdpClass;
    const a = Udp.create('ipv4');
    made.push(a);
    expect(a).toBeInstanceOf(Udp as unknown as abstract new () => unknown);
    await expect(a.send(new Uint8Array(1), lo(0))).rejects.toSatisfy((e) => {
      expect(payload(e)).toEqual({ tag: 'address-not-bindable' });
      return true;
    });
    const b = Udp.create('ipv4');
    made.push(b);
    await b.send(new Uint8Array(1), lo(9));
    expect(b.getLocalAddress().val.port).toBeGreaterThan(0);
    const c = Udp.create('ipv4');
    made.push(c);
    await expect(c.send(new Uint8Array(65536), lo(9))).rejects.toSatisfy((e) => {
      expect(payload(e)).toEqual({ tag: 'datagram-too-large' });
      return true;
    });
  });
});
