import { describe, expect, it } from 'vitest';
import { CaptureSink, Kernel } from '../../src/adapter/kernel/index.js';
import { WasiError } from '../../src/virtual-fs/errors.js';

describe('virtual host', () => {
  it('traces to the host stderr even when the guest stderr is denied', () => {
    const stderr = new CaptureSink();
    const host = new Kernel({
      policy: { stdio: { stdin: 'deny', stdout: 'deny', stderr: 'deny' }, debug: true },
      stderr,
    });
    host.trace!('fd_write(fd=2) = notcapable');
    expect(stderr.text()).toBe('[wasi-virt] fd_write(fd=2) = notcapable\n');
    expect(() => host.stderr.write(new Uint8Array([65]))).toThrow(WasiError);
    expect(stderr.text()).not.toContain('A');
  });

  it('resolves env overrides before the filtered host variables', () => {
    const host = new Kernel({
      policy: { env: { host: { allow: ['PUBLIC'] }, overrides: [['CUSTOM', 'VAL'], ['PUBLIC', 'over']] } },
      env: { PRIVATE: 'secret', PUBLIC: 'host', OTHER: 'x' },
    });
    expect(host.env).toEqual([['CUSTOM', 'VAL'], ['PUBLIC', 'over']]);
    const deny = new Kernel({ policy: { env: { host: { deny: ['PRIVATE'] }, overrides: [] } }, env: { PRIVATE: 's', A: '1' } });
    expect(deny.env).toEqual([['A', '1']]);
    const none = new Kernel({ policy: { env: { host: 'none', overrides: [] } }, env: { A: '1' } });
    expect(none.env).toEqual([]);
  });
});
