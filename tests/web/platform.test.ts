/**
 * One platform per runtime: a bundle under Node runs on the CLI's host platform (the same
 * nanosecond clock, fd stdio, host directories), and the web platform (browsers, workers)
 * writes guest output as console lines and refuses host directories in one line.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Kernel } from '../../src/adapter/kernel/index.js';
import { nodePlatform } from '../../src/adapter/node/platform.js';
import { ConsoleSink, webPlatform } from '../../src/adapter/web/platform.js';
import { cli, runScript, tempDir } from '../compose/helpers.js';

describe('a bundle under node', () => {
  test('has the CLI\'s platform: 1 ns clock resolution (performance.now would say 1000), fd stdio', () => {
    const out = join(tempDir(), 'virt');
    const r = cli(['--allow-clocks', '--allow-stdio', '-o', out]);
    expect(r.status).toBe(0);
    const ran = runScript(`
      import { createHost } from ${JSON.stringify(join(out, 'virt.js'))};
      const host = createHost();
      console.log(String(host.clocks.resolution()), host.stdout.sink.constructor.name);
      host.dispose();
    `, out);
    expect(ran.stderr).toBe('');
    const cliKernel = new Kernel({ policy: { clocks: 'allow' }, platform: nodePlatform() });
    expect(ran.stdout).toBe(`${cliKernel.clocks.resolution()} ${(cliKernel.stdout.sink as object).constructor.name}\n`);
    expect(ran.stdout).toBe('1 FdSink\n');
    cliKernel.dispose();
  });
});

describe('the web platform', () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
  });
  afterEach(() => vi.restoreAllMocks());

  test('ConsoleSink writes whole lines, keeps a character split across writes whole, and flushes the rest', () => {
    const sink = new ConsoleSink((l) => lines.push(l));
    const bytes = new TextEncoder().encode('one\ntwo é\nthr');
    sink.write(bytes.subarray(0, 9));
    expect(lines).toEqual(['one']);
    sink.write(bytes.subarray(9));
    expect(lines).toEqual(['one', 'two é']);
    sink.flush();
    expect(lines).toEqual(['one', 'two é', 'thr']);
    sink.flush();
    expect(lines).toHaveLength(3);
  });

  test('guest stdout and stderr default to console.log and console.error', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const kernel = new Kernel({ policy: {}, platform: webPlatform() });
    kernel.stdout.write(new TextEncoder().encode('out line\n'));
    kernel.stderr.write(new TextEncoder().encode('err line\n'));
    kernel.dispose();
    expect(log.mock.calls).toEqual([['out line']]);
    expect(error.mock.calls).toEqual([['err line']]);
  });

  test('no host environment, no stdin, 1000 ns clocks; a host directory is one line', () => {
    const kernel = new Kernel({ policy: { env: { host: 'all', overrides: [] } }, platform: webPlatform() });
    expect(kernel.env).toEqual([]);
    expect(kernel.stdin.read(new Uint8Array(4))).toBe(0);
    expect(kernel.clocks.resolution()).toBe(1000n);
    kernel.dispose();
    expect(() => new Kernel({ policy: { fs: { 'host-preopens': false, preopens: { '/': { 'runtime-dir': '/tmp' } } } }, platform: webPlatform() }))
      .toThrow('"/" (runtime-dir /tmp) needs a host file system, which the web platform does not have');
  });
});
