/**
 * wasi:cli through a real component (a WAT guest behind jco's preview1 adapter): env,
 * args, stdio modes, exit codes and traces, all decided by the policy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyTrap } from '../../src/adapter/kernel/index.js';
import type { Policy } from '../../src/policy/types.js';
import { runGuest, watComponent } from './helpers.js';

let tool: Uint8Array;
beforeAll(async () => {
  tool = await watComponent('p2-tool');
});

const HOST_ENV = { HOME: '/home/me', SECRET: 's3cret', PATH: '/bin' };
const run = (policy: Policy, opts: Parameters<typeof runGuest>[2] = {}) => runGuest(tool, policy, { env: HOST_ENV, ...opts });

describe('environment', () => {
  it('passes the host environment through when the rule is "all"', async () => {
    const r = await run({ args: ['tool', 'env'], env: { host: 'all', overrides: [] } });
    expect(r.stdout).toBe('HOME=/home/me\nSECRET=s3cret\nPATH=/bin\n');
  });

  it('keeps only allowed variables, drops denied ones', async () => {
    const allow = await run({ args: ['tool', 'env'], env: { host: { allow: ['HOME'] }, overrides: [] } });
    expect(allow.stdout).toBe('HOME=/home/me\n');
    const deny = await run({ args: ['tool', 'env'], env: { host: { deny: ['SECRET'] }, overrides: [] } });
    expect(deny.stdout).toBe('HOME=/home/me\nPATH=/bin\n');
  });

  it('puts overrides first and lets them win over host values', async () => {
    const r = await run({ args: ['tool', 'env'], env: { host: 'all', overrides: [['A', '1'], ['HOME', '/x']] } });
    expect(r.stdout).toBe('A=1\nHOME=/x\nSECRET=s3cret\nPATH=/bin\n');
    const none = await run({ args: ['tool', 'env'], env: { host: 'none', overrides: [['ONLY', 'me']] } });
    expect(none.stdout).toBe('ONLY=me\n');
  });
});

describe('arguments', () => {
  it('gives the guest the policy args, program name first', async () => {
    const r = await run({ args: ['prog', 'args', 'a b', 'ü'] });
    expect(r.stdout).toBe('prog\nargs\na b\nü\n');
  });

  it('falls back to the embedder args when the policy has none', async () => {
    const r = await run({}, { args: ['embedded', 'args', '--flag'] });
    expect(r.stdout).toBe('embedded\nargs\n--flag\n');
  });
});

describe('stdio', () => {
  const stdio = (stdin: 'allow' | 'ignore' | 'deny', stdout: 'allow' | 'ignore' | 'deny', stderr: 'allow' | 'ignore' | 'deny') =>
    run({ args: ['tool', 'stdio'], stdio: { stdin, stdout, stderr } }, { stdin: 'typed input\n' });

  it('allow: guest output reaches the sinks and stdin the guest', async () => {
    const r = await stdio('allow', 'allow', 'allow');
    expect(r).toMatchObject({ code: 0, stdout: 'out\ntyped input\n', stderr: 'err\n' });
  });

  it('ignore: writes succeed and vanish, stdin reads as empty', async () => {
    const out = await stdio('allow', 'ignore', 'allow');
    expect(out).toMatchObject({ code: 0, stdout: '', stderr: 'err\n' });
    const input = await stdio('ignore', 'allow', 'ignore');
    expect(input).toMatchObject({ code: 0, stdout: 'out\n', stderr: '' });
  });

  it('deny: a stdout write fails (stream closed) and nothing reaches the sink', async () => {
    const r = await stdio('allow', 'deny', 'allow');
    // The adapter reports a closed output stream as EIO (29).
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('stdout errno=29\nerr\n' + 'stdout errno=29\n');
    expect(r.code).toBe(1);
  });

  it('deny: stdin is closed, which the adapter reads as end of input', async () => {
    const r = await stdio('deny', 'allow', 'allow');
    expect(r).toMatchObject({ code: 0, stdout: 'out\n', stderr: 'err\n' });
  });
});

describe('exit', () => {
  it('returns 0 when run returns, and the code of an exit', async () => {
    expect((await run({ args: ['tool', 'args'] })).code).toBe(0);
    expect((await run({ args: ['tool', 'exit', '0'] })).code).toBe(0);
    // The preview1 adapter turns proc_exit(N != 0) into exit(err): the component sees 1.
    expect((await run({ args: ['tool', 'exit', '7'] })).code).toBe(1);
  });

  it('with exit denied, success still ends normally and a failure traps with the rule', async () => {
    expect((await run({ exit: 'deny', args: ['tool', 'exit', '0'] })).code).toBe(0);
    const failing = run({ exit: 'deny', args: ['tool', 'exit', '3'] });
    await expect(failing).rejects.toBeInstanceOf(PolicyTrap);
    await expect(failing).rejects.toThrow(/denied by policy: exit/);
  });
});

describe('trace', () => {
  it('logs one line per host call with arguments and results', async () => {
    const r = await run({ debug: true, args: ['tool', 'args', 'x'] });
    expect(r.stdout).toBe('tool\nargs\nx\n');
    expect(r.trace).toContain('wasi:cli/environment#get-arguments() -> ["tool", "args", "x"]');
    expect(r.trace).toContain('wasi:io/streams#output-stream.blocking-write-and-flush(output-stream(stdout), <1 bytes "x">) -> ok');
    expect(r.trace.some((l) => l.startsWith('wasi:filesystem/preopens#get-directories() -> []'))).toBe(true);
  });

  it('names the policy rule behind a denied call', async () => {
    const r = await run({ debug: true, args: ['tool', 'stdio'], stdio: { stdin: 'allow', stdout: 'deny', stderr: 'allow' } });
    const line = r.trace.find((l) => l.includes('blocking-write-and-flush(output-stream(stdout)'));
    expect(line).toMatch(/-> error closed \(denied by policy: stdio\.stdout = "deny"\)$/);
  });

  it('shows error codes of failed file calls', async () => {
    const r = await run({
      debug: true,
      args: ['tool', 'cat', 'missing.txt'],
      fs: { 'host-preopens': false, preopens: { '/': { dir: {} } } },
    });
    expect(r.code).toBe(1);
    expect(r.trace.find((l) => l.includes('#descriptor.open-at('))).toMatch(
      /^wasi:filesystem\/types#descriptor\.open-at\(descriptor\(\/\), \{symlink-follow\}, "missing\.txt", \{\}, \{read\}\) -> error "no-entry" \(no such file or directory "missing\.txt"\)$/,
    );
  });
});
