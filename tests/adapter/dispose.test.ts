import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/adapter/kernel/index.js';
import { nodePlatform } from '../../src/adapter/node/platform.js';
import type { Policy } from '../../src/policy/types.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('Kernel.dispose releases every host fd it opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wv-dispose-'));
  writeFileSync(join(dir, 'motd'), 'hi\n');
  mkdirSync(join(dir, 'data'));
  const policies: [string, Policy][] = [
    ['runtime-file', { fs: { 'host-preopens': false, preopens: { '/': { dir: { etc: { dir: { motd: { 'runtime-file': join(dir, 'motd') } } } } } } } }],
    ['runtime-dir', { fs: { 'host-preopens': false, preopens: { '/data': { 'runtime-dir': join(dir, 'data') } } } }],
    // A relative preopen has its own mount table: what is nested in it must close too.
    ['runtime-dir nested under a relative preopen', {
      fs: { 'host-preopens': false, preopens: { '.': { dir: { sub: { 'runtime-dir': join(dir, 'data') }, f: { 'runtime-file': join(dir, 'motd') } } } } },
    }],
  ];
  for (const [what, policy] of policies) {
    it(`a ${what} mount, 50 kernels`, () => {
      const before = openFds();
      for (let i = 0; i < 50; i++) new Kernel({ policy, platform: nodePlatform() }).dispose();
      expect(openFds()).toBe(before);
    });
  }
});
