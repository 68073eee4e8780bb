/**
 * Every `virt-opts` shape WASI-Virt's test cases use (tests/cases/*.toml upstream, schema
 * in notes §5.2), written as a whole test-case file, parses into the equivalent Policy.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/policy/parse.js';
import type { Policy } from '../../src/policy/types.js';

/** A WASI-Virt test case around `virtOpts` (the harness keys are accepted and ignored). */
function testCase(virtOpts: string, component = 'get-env'): string {
  return `component = "${component}"
host-fs-path = "/x"

[host-env]
PRIVATE_TOKEN = "PRIVATE"
PUBLIC_VAR = "VAL"

${virtOpts}

[expect]
env = [["CUSTOM", "VAL"]]
`;
}

const parse = (text: string): Policy => parsePolicyText(text, 'toml', 'case.toml');

describe('WASI-Virt virt-opts in TOML', () => {
  it('env: allow list with overrides', () => {
    expect(parse(testCase(`[virt-opts.env]
overrides = [["CUSTOM", "VAL"]]

[virt-opts.env.host]
allow = ["PUBLIC_VAR"]`))).toEqual({ env: { host: { allow: ['PUBLIC_VAR'] }, overrides: [['CUSTOM', 'VAL']] } });
  });

  it('env: deny list with overrides', () => {
    expect(parse(testCase(`[virt-opts.env]
overrides = [["CUSTOM", "VAL"]]

[virt-opts.env.host]
deny = ["PRIVATE_TOKEN"]`))).toEqual({ env: { host: { deny: ['PRIVATE_TOKEN'] }, overrides: [['CUSTOM', 'VAL']] } });
  });

  it('env: none, with and without overrides', () => {
    expect(parse(testCase(`[virt-opts.env]
host = "none"
overrides = []`))).toEqual({ env: { host: 'none', overrides: [] } });
    expect(parse(testCase(`[virt-opts.env]
host = "none"
overrides = [["ENV_OVERRIDE", "Value"]]`))).toEqual({ env: { host: 'none', overrides: [['ENV_OVERRIDE', 'Value']] } });
  });

  it('env: all (passthrough); host defaults to none as in WASI-Virt', () => {
    expect(parse(testCase(`[virt-opts.env]
host = "all"`))).toEqual({ env: { host: 'all', overrides: [] } });
    expect(parse(testCase(`[virt-opts.env]
overrides = [["A", "1"], ["B", "2"]]`))).toEqual({ env: { host: 'none', overrides: [['A', '1'], ['B', '2']] } });
  });

  it('fs: nested dir tables of source files', () => {
    expect(parse(testCase(`[virt-opts.fs.preopens."/".dir."mydir".dir]
"file1.txt" = { source = "inner contents1" }
"file2.txt" = { source = "inner contents2" }
"echo.txt" = { source = "inner contents echo" }`, 'file-read'))).toEqual({
      fs: {
        'host-preopens': false,
        preopens: {
          '/': { dir: { mydir: { dir: {
            'file1.txt': { source: 'inner contents1' },
            'file2.txt': { source: 'inner contents2' },
            'echo.txt': { source: 'inner contents echo' },
          } } } },
        },
      },
    });
  });

  it('fs: a preopen that is itself a dir, and one that is a virtualized host dir', () => {
    expect(parse(testCase(`[virt-opts.fs.preopens."/mydir".dir]
"a.txt" = { source = "a" }

[virt-opts.fs.preopens."/"]
virtualize = "./tests/cases"`, 'file-read')).fs!.preopens).toEqual({
      '/mydir': { dir: { 'a.txt': { source: 'a' } } },
      '/': { virtualize: './tests/cases' },
    });
  });

  it('fs: every FsEntry kind, and passive-cutoff accepted and dropped', () => {
    const p = parse(testCase(`[virt-opts.fs]
passive-cutoff = 10
host-preopens = true

[virt-opts.fs.preopens."/".dir]
"text.txt" = { source = "hello" }
"bytes.bin" = { file = [0, 1, 2, 255] }
"LICENSE" = { virtualize = "./LICENSE" }
"host.txt" = { runtime-file = "/LICENSE" }
"hostdir" = { runtime-dir = "/tmp" }
"link" = { symlink = "text.txt" }
"empty" = { dir = {} }`, 'file-read'));
    expect(p).toEqual({
      fs: {
        'host-preopens': true,
        preopens: {
          '/': { dir: {
            'text.txt': { source: 'hello' },
            'bytes.bin': { file: [0, 1, 2, 255] },
            LICENSE: { virtualize: './LICENSE' },
            'host.txt': { 'runtime-file': '/LICENSE' },
            hostdir: { 'runtime-dir': '/tmp' },
            link: { symlink: 'text.txt' },
            empty: { dir: {} },
          } },
        },
      },
    });
  });

  it('stdio per stream, and the booleans of every subsystem (encapsulate shapes)', () => {
    expect(parse(testCase(`[virt-opts]
exit = false
fs.host-preopens = false
stdio.stdin = "ignore"
stdio.stdout = "allow"
stdio.stderr = "ignore"
clocks = true
http = false
random = true
sockets = false

[virt-opts.fs.preopens."/".dir]
"LICENSE" = { virtualize = "./LICENSE" }`, 'do-everything'))).toEqual({
      clocks: 'allow',
      exit: 'deny',
      fs: { 'host-preopens': false, preopens: { '/': { dir: { LICENSE: { virtualize: './LICENSE' } } } } },
      http: 'deny',
      random: 'allow',
      sockets: 'deny',
      stdio: { stdin: 'ignore', stdout: 'allow', stderr: 'ignore' },
    });
    expect(parse(testCase(`[virt-opts]
exit = true
clocks = false
http = true
random = false
sockets = true
stdio = { stdin = "deny", stdout = "deny", stderr = "deny" }`))).toEqual({
      clocks: 'deny', exit: 'allow', http: 'allow', random: 'deny', sockets: 'allow',
      stdio: { stdin: 'deny', stdout: 'deny', stderr: 'deny' },
    });
  });

  it('the passthrough shape: host preopens on, stdio all allow, the rest untouched', () => {
    expect(parse(testCase(`[virt-opts]
exit = true
fs.host-preopens = true
stdio.stdin = "allow"
stdio.stdout = "allow"
stdio.stderr = "allow"`, 'do-everything'))).toEqual({
      exit: 'allow',
      fs: { 'host-preopens': true, preopens: {} },
      stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' },
    });
  });

  it('accepts and drops run-wasm-opt, wasi-version and compose-component-path; keeps debug', () => {
    expect(parse(testCase(`compose = true
[virt-opts]
run-wasm-opt = false
wasi-version = "0.2.1"
compose-component-path = "app.wasm"
debug = true`))).toEqual({ debug: true });
  });

  it('a test case without virt-opts is the empty policy only when it says nothing else', () => {
    expect(parse('[virt-opts]\n')).toEqual({});
    expect(() => parse('component = "x"\n[virt-opts]\n[extra]\n')).toThrow(/case\.toml:3: unknown key "extra"/);
  });

  it('refuses wasi:config (not implemented) at its line', () => {
    expect(() => parse(testCase(`[virt-opts.config]
host = "all"`))).toThrow(/^case\.toml:\d+: virt-opts: unsupported key "config": wasi:config/);
  });
});
