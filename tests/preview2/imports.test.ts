/**
 * The import object itself, called the way jco's generated code calls it: key forms,
 * resource identity, disposal, error values (thrown codes, stream errors, traps), and the
 * denied network interfaces.
 */
import { describe, expect, it } from 'vitest';
import { ExitSignal, PolicyTrap, Kernel, CaptureSink } from '../../src/adapter/kernel/index.js';
import {
  classesOf, createPreview2, WASI_VERSIONS, type Namespace,
} from '../../src/adapter/preview2/index.js';
import type { Descriptor, InputStream, IoError, OutputStream, Pollable } from '../../src/adapter/preview2/index.js';
import type { Policy } from '../../src/policy/types.js';

const INTERFACES = [
  'wasi:cli/environment', 'wasi:cli/exit', 'wasi:cli/stdin', 'wasi:cli/stdout', 'wasi:cli/stderr',
  'wasi:cli/terminal-input', 'wasi:cli/terminal-output', 'wasi:cli/terminal-stdin', 'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr', 'wasi:io/error', 'wasi:io/poll', 'wasi:io/streams', 'wasi:clocks/wall-clock',
  'wasi:clocks/monotonic-clock', 'wasi:filesystem/types', 'wasi:filesystem/preopens', 'wasi:random/random',
  'wasi:random/insecure', 'wasi:random/insecure-seed', 'wasi:sockets/network', 'wasi:sockets/instance-network',
  'wasi:sockets/ip-name-lookup', 'wasi:sockets/tcp', 'wasi:sockets/tcp-create-socket', 'wasi:sockets/udp',
  'wasi:sockets/udp-create-socket', 'wasi:http/types', 'wasi:http/outgoing-handler',
];

const FS: Policy['fs'] = {
  'host-preopens': false,
  preopens: { '/': { dir: { 'a.txt': { source: 'alpha' }, sub: { dir: {} } } } },
};

function make(policy: Policy = { fs: FS }, extra: { trace?: (l: string) => void } = {}) {
  const stdout = new CaptureSink();
  const host = new Kernel({ policy, stdout, env: {}, ...extra });
  const imports = createPreview2(host);
  const fn = (iface: string, name: string) => imports[iface]![name] as (...a: unknown[]) => unknown;
  return { host, imports, fn, stdout, cls: classesOf(imports) };
}

const root = (fn: ReturnType<typeof make>['fn']) => (fn('wasi:filesystem/preopens', 'getDirectories')() as [Descriptor, string][])[0]![0];

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('import object shape', () => {
  it('has every WASI 0.2 interface, unversioned and @0.2.0 through @0.2.12, sharing one object', () => {
    const { imports } = make();
    expect(WASI_VERSIONS).toEqual(['0.2.0', '0.2.1', '0.2.2', '0.2.3', '0.2.4', '0.2.5', '0.2.6', '0.2.7', '0.2.8', '0.2.9', '0.2.10', '0.2.11', '0.2.12']);
    for (const i of INTERFACES) {
      expect(imports[i], i).toBeTypeOf('object');
      for (const v of WASI_VERSIONS) expect(imports[`${i}@${v}`], `${i}@${v}`).toBe(imports[i]);
    }
  });

  it('with versionedKeys: false (what feeds jco) has the unversioned keys alone, the same interfaces', () => {
    const kernel = new Kernel({ policy: {} });
    const all = createPreview2(kernel);
    const bare = createPreview2(kernel, { versionedKeys: false });
    expect(Object.keys(bare).sort()).toEqual(Object.keys(all).filter((k) => !k.includes('@')).sort());
    expect(Object.keys(bare)).toEqual(expect.arrayContaining(INTERFACES));
    kernel.dispose();
  });

  it('hands out streams and pollables that are instances of its own classes, traced or not', () => {
    for (const trace of [undefined, () => {}]) {
      const { fn, cls } = make({ fs: FS }, { trace });
      const out = fn('wasi:cli/stdout', 'getStdout')() as OutputStream;
      expect(out).toBeInstanceOf(cls.OutputStream);
      expect(out.subscribe()).toBeInstanceOf(cls.Pollable);
      expect(fn('wasi:cli/stdin', 'getStdin')()).toBeInstanceOf(cls.InputStream);
      const d = root(fn);
      expect(d).toBeInstanceOf(cls.Descriptor);
      expect(d.readViaStream(0n)).toBeInstanceOf(cls.InputStream);
      expect(d.readDirectory()).toBeInstanceOf(cls.DirectoryEntryStream);
      expect(fn('wasi:clocks/monotonic-clock', 'subscribeDuration')(1n)).toBeInstanceOf(cls.Pollable);
    }
  });
});

describe('filesystem', () => {
  it('lists and stats a preopen root', () => {
    const { fn } = make();
    const d = root(fn);
    const entries = d.readDirectory();
    expect([entries.readDirectoryEntry(), entries.readDirectoryEntry(), entries.readDirectoryEntry()]).toEqual([
      { type: 'regular-file', name: 'a.txt' }, { type: 'directory', name: 'sub' }, undefined,
    ]);
    expect(d.stat()).toMatchObject({ type: 'directory', linkCount: 1n });
    expect(d.statAt({}, 'a.txt')).toMatchObject({ type: 'regular-file', size: 5n });
    expect(d.getFlags()).toMatchObject({ read: true, write: false, mutateDirectory: false });
  });

  it('keeps a preopen usable after another descriptor for it is dropped', () => {
    const { fn } = make();
    const first = root(fn);
    const second = root(fn);
    expect(first).not.toBe(second);
    second[Symbol.dispose]();
    expect(first.statAt({}, 'a.txt').size).toBe(5n);
    const file = first.openAt({}, 'a.txt', {}, { read: true });
    expect(file.read(10n, 1n)).toEqual([new TextEncoder().encode('lpha'), true]);
    file[Symbol.dispose]();
    expect(root(fn).readDirectory().readDirectoryEntry()?.name).toBe('a.txt');
  });

  it('throws error-code strings (not Errors) for result errors', () => {
    const d = root(make().fn);
    expect(thrown(() => d.openAt({}, 'missing', {}, { read: true }))).toBe('no-entry');
    expect(thrown(() => d.openAt({}, 'a.txt', { create: true }, { write: true }))).toBe('read-only');
    expect(thrown(() => d.openAt({}, '../x', {}, { read: true }))).toBe('not-permitted');
    expect(thrown(() => d.createDirectoryAt('new'))).toBe('read-only');
    expect(thrown(() => d.statAt({}, 'a.txt/'))).toBe('not-directory');
    const file = d.openAt({}, 'a.txt', {}, { read: true });
    expect(thrown(() => file.write(new Uint8Array(1), 0n))).toBe('bad-descriptor');
    expect(thrown(() => file.readDirectory())).toBe('not-directory');
  });

  it('reports stream failures as last-operation-failed with a mappable error', () => {
    const { fn, imports } = make();
    const stream = root(fn).readViaStream(0n);
    const e = thrown(() => stream.blockingRead(10n)) as { tag: string; val: IoError };
    expect(e.tag).toBe('last-operation-failed');
    expect(e.val).toBeInstanceOf(classesOf(imports).IoError);
    expect((imports['wasi:filesystem/types']!['filesystemErrorCode'] as (e: IoError) => string)(e.val)).toBe('is-directory');
    expect(e.val.toDebugString()).toMatch(/^isdir/);
  });

  it('reads a file to the end and then reports closed', () => {
    const d = root(make().fn);
    const s: InputStream = d.openAt({}, 'a.txt', {}, { read: true }).readViaStream(2n);
    expect(new TextDecoder().decode(s.blockingRead(100n))).toBe('pha');
    expect(thrown(() => s.read(100n))).toEqual({ tag: 'closed' });
  });
});

describe('cli', () => {
  it('reports env, args and initial-cwd from the policy', () => {
    const { fn } = make({ cwd: '/work', args: ['p', 'q'], env: { host: 'none', overrides: [['K', 'v']] } });
    expect(fn('wasi:cli/environment', 'getEnvironment')()).toEqual([['K', 'v']]);
    expect(fn('wasi:cli/environment', 'getArguments')()).toEqual(['p', 'q']);
    expect(fn('wasi:cli/environment', 'initialCwd')()).toBe('/work');
    expect(make({}).fn('wasi:cli/environment', 'initialCwd')()).toBeUndefined();
  });

  it('exits by throwing the kernel signal (exit and exit-with-code)', () => {
    const { fn } = make();
    expect(thrown(() => fn('wasi:cli/exit', 'exit')({ tag: 'ok' }))).toEqual(new ExitSignal(0));
    expect((thrown(() => fn('wasi:cli/exit', 'exit')({ tag: 'err' })) as ExitSignal).code).toBe(1);
    expect((thrown(() => fn('wasi:cli/exit', 'exitWithCode')(42)) as ExitSignal).code).toBe(42);
  });

  it('closes a denied stream and keeps stdio handles alive across drops', () => {
    const { fn, stdout } = make({ stdio: { stdin: 'deny', stdout: 'allow', stderr: 'deny' } });
    const a = fn('wasi:cli/stdout', 'getStdout')() as OutputStream;
    const b = fn('wasi:cli/stdout', 'getStdout')() as OutputStream;
    a.blockingWriteAndFlush(new TextEncoder().encode('1'));
    a[Symbol.dispose]();
    b.blockingWriteAndFlush(new TextEncoder().encode('2'));
    expect(stdout.text()).toBe('12');
    expect(thrown(() => (fn('wasi:cli/stderr', 'getStderr')() as OutputStream).write(new Uint8Array(1)))).toEqual({ tag: 'closed' });
    expect(thrown(() => (fn('wasi:cli/stdin', 'getStdin')() as InputStream).blockingRead(1n))).toEqual({ tag: 'closed' });
  });

  it('reports no terminals for captured stdio', () => {
    const { fn } = make();
    expect(fn('wasi:cli/terminal-stdout', 'getTerminalStdout')()).toBeUndefined();
  });
});

describe('poll', () => {
  it('waits for the earliest deadline in deterministic time without sleeping', () => {
    const { fn } = make({ clocks: { deterministic: {} } });
    const sub = fn('wasi:clocks/monotonic-clock', 'subscribeDuration');
    const now = fn('wasi:clocks/monotonic-clock', 'now');
    const late = sub(10_000_000_000n) as Pollable;
    const soon = sub(5_000_000_000n) as Pollable;
    const started = Date.now();
    expect([...(fn('wasi:io/poll', 'poll')([late, soon]) as Uint32Array)]).toEqual([1]);
    expect(now() as bigint).toBeGreaterThanOrEqual(5_000_000_000n);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('network, denied or unavailable', () => {
  const call = (ns: Namespace, name: string, ...a: unknown[]) => thrown(() => (ns[name] as (...x: unknown[]) => unknown)(...a));

  it('answers access-denied for sockets and HTTP-request-denied for http', () => {
    const lines: string[] = [];
    const { imports } = make({ sockets: 'deny', http: 'deny' }, { trace: (l) => lines.push(l) });
    expect(call(imports['wasi:sockets/tcp-create-socket']!, 'createTcpSocket', 'ipv4')).toBe('access-denied');
    expect(lines.at(-1)).toBe('wasi:sockets/tcp-create-socket#create-tcp-socket("ipv4") -> error "access-denied" (denied by policy: sockets = "deny")');
    expect(call(imports['wasi:sockets/udp-create-socket']!, 'createUdpSocket', 'ipv4')).toBe('access-denied');
    const net = (imports['wasi:sockets/instance-network']!['instanceNetwork'] as () => unknown)();
    expect(call(imports['wasi:sockets/ip-name-lookup']!, 'resolveAddresses', net, 'example.com')).toBe('access-denied');
    expect(call(imports['wasi:http/outgoing-handler']!, 'handle', {}, undefined)).toEqual({ tag: 'HTTP-request-denied' });
    expect(lines.at(-1)).toBe('wasi:http/outgoing-handler#handle({}, none) -> error HTTP-request-denied (denied by policy: http = "deny")');
  });

  it('traps where the interface has no error channel', () => {
    const { imports } = make({ http: 'deny' });
    const Fields = imports['wasi:http/types']!['Fields'] as new () => unknown;
    expect(() => new Fields()).toThrow(PolicyTrap);
  });

  it('answers not-supported when allowed but no network implementation was given', () => {
    const { imports } = make({});
    expect(call(imports['wasi:sockets/tcp-create-socket']!, 'createTcpSocket', 'ipv4')).toBe('not-supported');
  });
});

describe('tracing', () => {
  it('writes one line per call to the host trace', () => {
    const lines: string[] = [];
    const { fn } = make({ fs: FS, env: { host: 'none', overrides: [['A', 'b']] } }, { trace: (l) => lines.push(l) });
    fn('wasi:cli/environment', 'getEnvironment')();
    thrown(() => root(fn).openAt({ symlinkFollow: true }, 'nope', {}, { read: true }));
    expect(lines).toEqual([
      'wasi:cli/environment#get-environment() -> [["A", "b"]]',
      'wasi:filesystem/preopens#get-directories() -> [[descriptor(/), "/"]]',
      'wasi:filesystem/types#descriptor.open-at(descriptor(/), {symlink-follow}, "nope", {}, {read}) -> error "no-entry" (no such file or directory "nope")',
    ]);
  });
});
