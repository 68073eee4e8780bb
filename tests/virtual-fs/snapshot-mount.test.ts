import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGuestFs, FsSetupError } from '../../src/adapter/kernel/fs.js';
import type { Platform } from '../../src/adapter/kernel/platform.js';
import type { FsPolicy } from '../../src/policy/types.js';
import { buildSnapshot } from '../../src/virtual-fs/snapshot-builder.js';
import { cleanup, listVia, tempDir, textVia, writeTree } from './snapshot-helpers.js';

afterAll(cleanup);

const dir = tempDir();
writeTree(dir, {
  LICENSE: 'license text',
  app: { 'config.json': '{"ok":true}', '.git': { HEAD: 'x' }, assets: { 'logo.svg': '<svg/>' } },
});

let builds = 0;
const node: Platform = {
  name: 'test-node',
  buildSnapshot: (o) => {
    builds++;
    return buildSnapshot({ ...o, onProgress: () => {} }).bytes;
  },
};

describe('snapshots mounted by the host', () => {
  it('mounts a directory and a single file (WASI-Virt encapsulate.toml: "/" holds LICENSE = virtualize ./LICENSE)', () => {
    const policy: FsPolicy = {
      'host-preopens': false,
      preopens: {
        '/': { dir: { LICENSE: { virtualize: join(dir, 'LICENSE') }, etc: { dir: {} } } },
        '/app': { virtualize: { path: join(dir, 'app') } },
      },
    };
    const fs = buildGuestFs({ policy, platform: node });
    const [[slashName, slash], [appName, app]] = fs.preopens;
    expect([slashName, appName]).toEqual(['/', '/app']);
    expect(textVia(slash!, 'LICENSE')).toBe('license text');
    expect(listVia(slash!, '.')).toEqual([['LICENSE', 'regular-file'], ['app', 'directory'], ['etc', 'directory']]);
    expect(textVia(slash!, 'app/config.json')).toBe('{"ok":true}');
    expect(textVia(app!, 'assets/logo.svg')).toBe('<svg/>');
    expect(listVia(app!, '.').map(([n]) => n)).toEqual(['assets', 'config.json']);
  });

  it('uses a prebuilt snapshot (what a bundle carries) without touching the host', () => {
    const bytes = buildSnapshot({ path: join(dir, 'app'), onProgress: () => {} }).bytes;
    const before = builds;
    const fs = buildGuestFs({
      policy: { 'host-preopens': false, preopens: { '/srv': { virtualize: '/not/on/this/machine' } } },
      snapshots: { '/srv': bytes },
      platform: { name: 'neutral' },
    });
    expect(textVia(fs.preopens[0]![1], 'config.json')).toBe('{"ok":true}');
    expect(builds).toBe(before);
  });

  it('mounts a single file at an absolute guest path, synthesizing the directories above it', () => {
    const fs = buildGuestFs({ policy: { 'host-preopens': false, preopens: { '/etc/LICENSE': { virtualize: join(dir, 'LICENSE') } } }, platform: node });
    expect(fs.preopens.map(([name]) => name)).toEqual(['/']);
    expect(textVia(fs.preopens[0]![1], 'etc/LICENSE')).toBe(readFileSync(join(dir, 'LICENSE'), 'utf8'));
  });

  it('says clearly that a single file cannot be a relative preopen', () => {
    expect(() =>
      buildGuestFs({ policy: { 'host-preopens': false, preopens: { LICENSE: { virtualize: join(dir, 'LICENSE') } } }, platform: node }),
    ).toThrow(new FsSetupError('preopen "LICENSE" is a single file, but a preopen must be a directory; mount the file inside a directory entry (docs/snapshot-format.md)'));
  });
});
