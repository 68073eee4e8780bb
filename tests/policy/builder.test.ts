import { describe, expect, it } from 'vitest';
import { PolicyBuilder } from '../../src/policy/builder.js';
import { PolicyError } from '../../src/policy/errors.js';

/** What the package root will export: the builder plus run methods. */
class WasiVirt extends PolicyBuilder {
  ran = false;
  run(): this {
    this.ran = true;
    return this;
  }
}

describe('PolicyBuilder (WASI-Virt builder semantics)', () => {
  it('leaves untouched subsystems undefined (pass through)', () => {
    expect(new PolicyBuilder().policy()).toEqual({});
    expect(new PolicyBuilder().clocks(true).policy()).toEqual({ clocks: 'allow' });
  });

  it('enables env, fs and stdio with WASI-Virt defaults on first use', () => {
    const b = new PolicyBuilder();
    b.env();
    b.fs();
    b.stdio();
    expect(b.policy()).toEqual({
      env: { host: 'none', overrides: [] },
      fs: { 'host-preopens': false, preopens: {} },
      stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' },
    });
  });

  it('allowAll and denyAll cover what WASI-Virt covers; denyAll sets stdio to ignore', () => {
    expect(new PolicyBuilder().allowAll().policy()).toEqual({
      clocks: 'allow', exit: 'allow', http: 'allow', random: 'allow', sockets: 'allow',
      env: { host: 'all', overrides: [] },
      fs: { 'host-preopens': true, preopens: {} },
      stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' },
    });
    expect(new PolicyBuilder().denyAll().policy()).toEqual({
      clocks: 'deny', exit: 'deny', http: 'deny', random: 'deny', sockets: 'deny',
      env: { host: 'none', overrides: [] },
      fs: { 'host-preopens': false, preopens: {} },
      stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' },
    });
  });

  it('keeps overrides and preopens across allowAll / denyAll', () => {
    const p = new PolicyBuilder()
      .env().overrides([['A', '1']])
      .fs().virtualPreopen('/', './site')
      .denyAll()
      .policy();
    expect(p.env).toEqual({ host: 'none', overrides: [['A', '1']] });
    expect(p.fs!.preopens).toEqual({ '/': { virtualize: './site' } });
  });

  it('env: allow/deny replace the host rule, overrides append (pairs or a record)', () => {
    const p = new PolicyBuilder()
      .env().allow(['HOME'])
      .env().deny(['SECRET'])
      .env().overrides([['A', '1']])
      .env().overrides({ B: '2', A: '3' })
      .policy();
    expect(p.env).toEqual({ host: { deny: ['SECRET'] }, overrides: [['A', '1'], ['B', '2'], ['A', '3']] });
    expect(new PolicyBuilder().env().allowAll().policy().env!.host).toBe('all');
    expect(new PolicyBuilder().env().allowAll().env().denyAll().policy().env!.host).toBe('none');
  });

  it('fs: every way to add a preopen, replacing one at the same guest path', () => {
    const p = new PolicyBuilder()
      .fs().allowHostPreopens()
      .fs().preopen('/etc', { dir: { hosts: { source: '127.0.0.1 localhost\n' } } })
      .fs().hostPreopen('/data/', './data', { readonly: true })
      .fs().hostPreopen('.', '.')
      .fs().virtualPreopen('/site', './site', { include: ['**/*.html'], exclude: ['drafts/**'], outsideSymlinks: 'skip' })
      .fs().virtualPreopen('/etc', './etc')
      .policy();
    expect(p.fs).toEqual({
      'host-preopens': true,
      preopens: {
        '/etc': { virtualize: './etc' },
        '/data': { 'runtime-dir': { path: './data', readonly: true } },
        '.': { 'runtime-dir': '.' },
        '/site': { virtualize: { path: './site', include: ['**/*.html'], exclude: ['drafts/**'], 'outside-symlinks': 'skip' } },
      },
    });
    expect(new PolicyBuilder().fs().allowHostPreopens().fs().denyHostPreopens().policy().fs!['host-preopens']).toBe(false);
  });

  it('stdio: all at once, then per stream', () => {
    expect(new PolicyBuilder().stdio().deny().stdio().stdout('allow').policy().stdio)
      .toEqual({ stdin: 'deny', stdout: 'allow', stderr: 'deny' });
    expect(new PolicyBuilder().stdio().ignore().stdio().stdin('allow').stdio().stderr('deny').policy().stdio)
      .toEqual({ stdin: 'allow', stdout: 'ignore', stderr: 'deny' });
    expect(new PolicyBuilder().stdio().ignore().stdio().allow().policy().stdio)
      .toEqual({ stdin: 'allow', stdout: 'allow', stderr: 'allow' });
  });

  it('clocks, random, the toggles, args, cwd and debug', () => {
    expect(new PolicyBuilder()
      .clocks('deterministic').random({ deterministic: { seed: 9 } })
      .exit(false).http('allow').sockets(true)
      .args(['app', '-v']).cwd('/work').debug()
      .policy()).toEqual({
      clocks: { deterministic: {} }, random: { deterministic: { seed: 9 } },
      exit: 'deny', http: 'allow', sockets: 'allow', args: ['app', '-v'], cwd: '/work', debug: true,
    });
    expect(new PolicyBuilder().clocks({ deterministic: { 'step-ns': 10 } }).random('deterministic').policy())
      .toEqual({ clocks: { deterministic: { 'step-ns': 10 } }, random: { deterministic: {} } });
  });

  it('policy() is a deep copy', () => {
    const b = new PolicyBuilder().env().overrides([['A', '1']]);
    const p = b.policy();
    p.env!.overrides.push(['B', '2']);
    (p.env as { host: unknown }).host = 'all';
    expect(b.policy().env).toEqual({ host: 'none', overrides: [['A', '1']] });
  });

  it('validates as it goes, naming the field', () => {
    expect(() => new PolicyBuilder().env().allow(['A=B'])).toThrow(PolicyError);
    expect(() => new PolicyBuilder().env().allow(['A=B'])).toThrow('env.host.allow[0]: variable name "A=B" cannot contain "="');
    expect(() => new PolicyBuilder().fs().preopen('/x', { source: 'a' })).toThrow('fs.preopens."/x": a preopen must be a directory');
    expect(() => new PolicyBuilder().stdio().stdout('loud' as 'allow')).toThrow('stdio.stdout: expected "allow", "ignore" or "deny"');
    expect(() => new PolicyBuilder().random({ deterministic: { seed: 1.5 } })).toThrow('random.deterministic.seed');
    expect(() => new PolicyBuilder().fs().hostPreopen('/a/../b', '.')).toThrow('contains ".."');
  });

  it('chains back to the subclass, so its own methods stay reachable', () => {
    const v = new WasiVirt().env().allow(['HOME']).stdio().ignore().fs().virtualPreopen('/', '.').run();
    expect(v).toBeInstanceOf(WasiVirt);
    expect(v.ran).toBe(true);
  });

  it('toJSON / fromJSON round-trip, constructing the class fromJSON is called on', () => {
    const original = new WasiVirt()
      .allowAll()
      .sockets(false)
      .env().deny(['SECRET'])
      .env().overrides([['LANG', 'C']])
      .fs().preopen('/', { dir: { bin: { file: [0, 97, 115, 109] }, link: { symlink: 'bin' } } })
      .fs().hostPreopen('/data', '/srv/data', { readonly: true })
      .stdio().stderr('ignore')
      .clocks({ deterministic: { start: '2020-01-01T00:00:00Z', 'step-ns': 1000 } })
      .random({ deterministic: { seed: 7 } })
      .args(['app']).cwd('/').debug(false);
    const text = JSON.stringify(original);
    const back = WasiVirt.fromJSON(text);
    expect(back).toBeInstanceOf(WasiVirt);
    expect(back.policy()).toEqual(original.policy());
    expect(JSON.stringify(back)).toBe(text);
    expect(WasiVirt.fromJSON(original.toJSON()).policy()).toEqual(original.policy());
    expect(PolicyBuilder.fromJSON({}).policy()).toEqual({});
    expect(() => PolicyBuilder.fromJSON('{"exit": 1}')).toThrow('exit: expected "allow" or "deny"');
    expect(() => PolicyBuilder.fromJSON('{')).toThrow(/^not JSON/);
  });

  it('takes an initial policy', () => {
    expect(new WasiVirt({ exit: 'deny' }).http(true).policy()).toEqual({ exit: 'deny', http: 'allow' });
  });
});
