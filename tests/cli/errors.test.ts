/** Every bad input: exit status 2, exactly one line on stderr, nothing on stdout, no stack. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unprivilegedChild } from '../helpers/unprivileged.js';
import { cli, ensureBuilt } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasi-virt-errors-'));
const app = join(dir, 'app.wasm');
const site = join(dir, 'site');
const policy = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

/** A directory this process cannot list: mode 000 for a normal user; for root (which
 * ignores modes) a kernel directory that refuses even root, when there is one. */
function unreadableDir(): string | undefined {
  const locked = join(dir, 'locked');
  mkdirSync(locked, { recursive: true });
  chmodSync(locked, 0o000);
  for (const candidate of [locked, '/proc/1/map_files']) {
    try {
      readdirSync(candidate);
    } catch {
      return candidate;
    }
  }
  return undefined;
}

beforeAll(() => {
  ensureBuilt();
  writeFileSync(app, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  mkdirSync(site, { recursive: true });
});

const cases: [string, string[], RegExp][] = [
  ['an unknown flag', ['policy', '--bogus'], /^wasi-virt: error: unknown flag --bogus/],
  ['an unknown short flag', ['run', app, '-x'], /^wasi-virt: error: unknown flag -x \(guest arguments that start with - go after --/],
  ['an extra positional', ['policy', 'extra'], /unexpected argument "extra"/],
  ['--stdio=loud', ['policy', '--stdio=loud'], /--stdio expects allow, ignore or deny, got "loud"/],
  ['--stdout=loud', ['run', app, '--stdout=loud'], /--stdout expects allow, ignore or deny/],
  ['--allow-clocks=maybe', ['policy', '--allow-clocks=maybe'], /--allow-clocks expects true or false, got "maybe"/],
  ['--for with a bad value', ['policy', '--for', 'deploy'], /--for expects "run" or "compose", got "deploy"/],
  ['--mount without =', ['policy', '--mount', './site'], /--mount "\.\/site": expected GUEST=HOSTDIR/],
  ['--mount with nothing after it', ['policy', '--mount'], /--mount "": expected GUEST=HOSTDIR/],
  ['--preopen with an empty host side', ['policy', '--preopen', '/data='], /--preopen "\/data=": expected GUEST=HOSTPATH\[:ro\], with neither side empty/],
  ['--preopen with an empty guest side', ['policy', '--preopen', '=./data'], /neither side empty/],
  ['--preopen with only :ro', ['policy', '--preopen', '/data=:ro'], /the host path is empty/],
  ['--mapdir without a separator', ['run', app, '--mapdir', '/tmp'], /--mapdir "\/tmp": expected GUEST::HOST or GUEST:HOST/],
  ['--deterministic with a bad seed', ['policy', '--deterministic=abc'], /--deterministic expects a seed from 0 to 4294967295, got "abc"/],
  ['--env with an empty name', ['policy', '-e', '=1'], /--env "=1": expected a variable name/],
  ['--allow-env= with nothing', ['policy', '--allow-env='], /--allow-env= expects NAME/],
  ['--include without --mount', ['policy', '--include', '*.html'], /no --mount was given/],
  ['two mounts for one guest path', ['policy', '--mount', '/=./a', '--mount', '/=./b'], /two mounts for guest path "\/": --mount \/=\.\/a and --mount \/=\.\/b/],
  ['a mount and a preopen for one guest path', ['policy', '--mount', '/d=./a', '--preopen', '//d/=./b'], /two mounts for guest path "\/d"/],
  ['a --dir and a --mapdir for one guest path', ['run', app, '--dir', '.::/w', '--mapdir', '/w::/tmp'], /two mounts for guest path "\/w"/],
  ['a missing app file (run)', ['run', join(dir, 'nope.wasm')], /^wasi-virt: error: app file ".*nope\.wasm" does not exist$/],
  ['a missing app file (compose)', [join(dir, 'nope.wasm'), '-o', join(dir, 'out')], /app file ".*nope\.wasm" does not exist/],
  ['a missing app file (inspect)', ['inspect', join(dir, 'nope.wasm')], /app file ".*nope\.wasm" does not exist/],
  ['an app that is a directory', ['run', dir], /is not a file/],
  ['run without an app', ['run'], /missing the app file \(e\.g\. wasi-virt run app\.wasm\)/],
  ['inspect without an app', ['inspect'], /missing the app file \(e\.g\. wasi-virt inspect app\.wasm\)/],
  ['--dir on compose', [app, '--dir', '.', '-o', 'out'], /unknown flag --dir \(--dir and --mapdir are run's; compose takes --preopen/],
  ['compose without -o', [app], /compose needs -o\/--out/],
  ['a missing --config file', ['policy', '--config', join(dir, 'nope.toml')], /nope\.toml: cannot read policy file: no such file$/],
  ['a --config that is a directory', ['policy', '--config', site], /must end in \.toml or \.json/],
  ['a --config directory named .toml', ['policy', '--config', join(dir, 'dir.toml')], /dir\.toml: cannot read policy file: is a directory/],
  ['--config with no file', ['policy', '--config'], /--config expects a policy file/],
  ['a policy file with a TOML syntax error', ['policy', '--config', policy('syntax.toml', 'exit = true\nclocks = \n')], /syntax\.toml:2: TOML syntax error: /],
  ['a policy file with a JSON syntax error', ['policy', '--config', policy('syntax.json', '{\n "exit": true,\n}\n')], /syntax\.json:3: JSON syntax error: /],
  ['a policy file with an unknown key', ['policy', '--config', policy('unknown.toml', '[fs]\nhost-preopens = true\n[fs.preopens."/".dir.x]\nfoo = 1\n')], /unknown\.toml:4: fs\.preopens\."\/"\.dir\.x: unknown key "foo"$/],
  ['a policy file with a wrong type', ['policy', '--config', policy('type.json', '{\n  "stdio": {\n    "stdout": 1\n  }\n}')], /type\.json:3: stdio\.stdout: expected "allow", "ignore" or "deny", got 1$/],
  ['a policy file naming one guest path twice', ['policy', '--config', policy('twice.toml', '[fs.preopens]\n"/d" = { dir = {} }\n"/d/" = { dir = {} }\n')], /twice\.toml:3: fs\.preopens: "\/d\/" is the same guest path as "\/d"/],
  ['a mount dir that does not exist (run)', ['run', app, '--mount', `/=${join(dir, 'missing')}`], /mount "\/": host path ".*missing" does not exist$/],
  ['a mount dir that does not exist (compose)', [app, '--mount', '/=./missing-dir', '-o', join(dir, 'out')], /mount "\/": host path "\.\/missing-dir" does not exist/],
  ['a mount dir that does not exist (inspect)', ['inspect', app, '--mount', '/x=./missing-dir'], /mount "\/x": host path "\.\/missing-dir" does not exist/],
  ['a mount dir from --config that does not exist', ['run', app, '--config', policy('mount.toml', '[fs.preopens."/".dir.sub]\nvirtualize = "./missing-dir"\n')], /mount "\/sub": host path "\.\/missing-dir" does not exist/],
  ['a mount root that is a file', ['run', app, '--mount', `/=${app}`], /mount "\/": host path ".*app\.wasm" is not a directory/],
  ['a --preopen dir that does not exist (run)', ['run', app, '--preopen', `/data=${join(dir, 'missing')}:ro`], /preopen "\/data": host path ".*missing" does not exist/],
  ['a --dir that does not exist (run)', ['run', app, '--dir', join(dir, 'missing')], /does not exist/],
];

describe('bad input: exit 2, one stderr line', () => {
  for (const [what, args, message] of cases) {
    it(what, () => {
      if (what.includes('directory named .toml')) mkdirSync(join(dir, 'dir.toml'), { recursive: true });
      const r = cli(args, { cwd: dir });
      expect(r.errLines, r.stderr).toHaveLength(1);
      expect(r.errLines[0]).toMatch(message);
      expect(r.errLines[0]).toMatch(/^wasi-virt: error: /);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
    });
  }

  it('a mount dir that cannot be read', () => {
    const locked = unreadableDir();
    expect(locked, 'no unreadable directory to test with').toBeDefined();
    const r = cli(['run', app, '--mount', `/=${locked}`], { cwd: dir });
    expect(r.errLines).toEqual([`wasi-virt: error: mount "/": host path "${locked}" cannot be read (permission denied)`]);
    expect(r.status).toBe(2);
  });

  it('a --config file that cannot be read', () => {
    // As root (CI) the CLI runs as nobody, which must reach the file: only its mode differs.
    chmodSync(dir, 0o755);
    const file = policy('locked.toml', 'exit = true\n');
    expect(cli(['policy', '--config', file], unprivilegedChild()).status).toBe(0);
    chmodSync(file, 0o000);
    const r = cli(['policy', '--config', file], unprivilegedChild());
    chmodSync(file, 0o644);
    expect(r.errLines).toEqual([`wasi-virt: error: ${file}: cannot read policy file: permission denied`]);
    expect(r.status).toBe(2);
  });
});

describe('what is not an error', () => {
  it('policy touches no host path but --config', () => {
    const r = cli(['policy', '--mount', '/=./does-not-exist', '--preopen', '/d=./nor-this'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).fs.preopens).toEqual({ '/': { virtualize: './does-not-exist' }, '/d': { 'runtime-dir': './nor-this' } });
  });

  it('compose leaves --preopen dirs to run time (they may exist only on the target host)', () => {
    const r = cli([app, '--preopen', '/d=./only-on-target', '-o', join(dir, 'out')], { cwd: dir });
    // The checks passed and compose took over: the fixture is an empty module, not a command.
    expect(r.errLines).toEqual([`wasi-virt: error: ${app} exports no _start, so it is not a command a bundle can run; compose without the app for the adapter (preview1Imports)`]);
  });

  it('run hands the guest arguments over, in order, after the checks pass', () => {
    const r = cli(['run', app, '--mount', `/=${site}`, 'a', 'b', '--', '--c', 'd'], { cwd: dir });
    // The checks passed and the runner took over: the fixture is an empty module, not a command.
    expect(r.errLines).toEqual([`wasi-virt: error: ${app} is not a command: it exports no _start function (a library or reactor cannot be run)`]);
    expect(r.status).toBe(2);
  });

  it('--help and --version exit 0 on stdout', () => {
    for (const args of [['--help'], ['run', '--help'], ['--version']]) {
      const r = cli(args);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.length).toBeGreaterThan(0);
    }
    // One line, `<name> <version>`: what the wasi-testsuite adapters print.
    expect(cli(['--version']).stdout).toMatch(/^wasi-virt \d+\.\d+\.\d+\n$/);
  });
});
