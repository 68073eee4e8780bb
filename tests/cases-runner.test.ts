/**
 * The test-case runner itself (tests/helpers/cases.ts): wrong cases, written to a temp
 * directory outside tests/cases, must fail with a message naming the case, the ABI and
 * the key, and malformed ones with `file:line`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Abi, CASES_DIR, checkCase, cleanup, readCase } from './helpers/cases.js';
import { ROOT } from './helpers/guests.js';

const dir = mkdtempSync(join(tmpdir(), 'wv-bad-cases-'));
afterAll(() => {
  cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function failure(name: string, text: string, abi: Abi): Promise<string> {
  const c = readCase(write(name, text));
  try {
    await checkCase(c, abi);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${name} [${abi}] passed, but it is wrong`);
}

describe('a wrong case fails naming the case, the ABI and the key', () => {
  const wrongEnv = `component = "get-env"
[host-env]
A = "1"
[virt-opts.env]
host = "none"
[expect]
env = [["A", "1"]]
`;
  for (const abi of ['preview1', 'preview2', 'preview3'] as const) {
    it(`expect.env on ${abi}`, async () => {
      expect(await failure('wrong-env.toml', wrongEnv, abi)).toBe(`wrong-env.toml [${abi}] expect.env: expected [["A","1"]] got []`);
    });
  }

  it('expect.stdout, long values shown at their first difference', async () => {
    const msg = await failure('wrong-stdout.toml', `component = "file-read"
host-fs-path = "/f"
[virt-opts.fs.preopens."/".dir]
f = { source = "${'x'.repeat(200)}y" }
[expect]
stdout = "${'x'.repeat(200)}z"
`, 'preview2');
    expect(msg).toBe('wrong-stdout.toml [preview2] expect.stdout: expected 201 chars, got 201; first difference at char 200: '
      + `expected ...${JSON.stringify(`${'x'.repeat(30)}z`)}... got ...${JSON.stringify(`${'x'.repeat(30)}y`)}...`);
  });

  it('expect.exit-code: non-zero on preview1 means non-zero (not N) on preview2', async () => {
    const text = `component = "args"
args = ["--exit=3"]
[expect]
exit-code = 4
stdout-contains = ["argc=2"]
`;
    expect(await failure('wrong-exit.toml', text, 'preview1')).toBe('wrong-exit.toml [preview1] expect.exit-code: expected 4 got 3 (stdout "argc=2\\nargv[0]=args.wasm\\nargv[1]=--exit=3\\n")');
    // 4 on preview1 is "non-zero" on preview2, and the adapter's 1 is that: the case passes there.
    await checkCase(readCase(join(dir, 'wrong-exit.toml')), 'preview2');
    const zero = await failure('wrong-exit-zero.toml', text.replace('exit-code = 4', 'exit-code = 0'), 'preview2');
    expect(zero).toMatch(/^wrong-exit-zero\.toml \[preview2\] expect\.exit-code: expected 0 got 1 /);
  });

  it('several wrong keys give one line each', async () => {
    const msg = await failure('wrong-two.toml', `component = "streams"
stdin = "abc"
[expect]
stdout-contains = ["stdin=4"]
stderr = ""
`, 'preview2');
    expect(msg.split('\n')).toEqual([
      'wrong-two.toml [preview2] expect.stderr: expected "" got "to stderr\\nstdin=3 stderr=ok stdout=ok\\n"',
      'wrong-two.toml [preview2] expect.stdout-contains: expected to contain "stdin=4", got "to stdout\\nstdin=3 stderr=ok stdout=ok\\n"',
    ]);
  });

  it('expect.host-files', async () => {
    const msg = await failure('wrong-files.toml', `component = "fs-ops"
args = ["write", "/d/a.txt", "new"]
[scratch]
"b.txt" = "keep"
[virt-opts.fs.preopens."/d"]
runtime-dir = "$SCRATCH"
[expect]
stdout = "write /d/a.txt: ok\\n"
[expect.host-files]
"a.txt" = "old"
"b.txt" = false
"c.txt" = "x"
`, 'preview2');
    expect(msg.split('\n')).toEqual([
      'wrong-files.toml [preview2] expect.host-files."a.txt": expected "old" got "new"',
      'wrong-files.toml [preview2] expect.host-files."b.txt": expected no such file on the host, but it exists',
      'wrong-files.toml [preview2] expect.host-files."c.txt": expected "x" on the host, but there is no such file',
    ]);
  });

  it('expect.trap and an unexpected trap', async () => {
    const text = `component = "args"
args = ["--exit=3"]
[virt-opts]
exit = "deny"
[expect]
trap = "something else"
`;
    expect(await failure('wrong-trap.toml', text, 'preview2')).toBe(
      'wrong-trap.toml [preview2] expect.trap: expected a trap containing "something else", got "denied by policy: exit = \\"deny\\" (the guest tried to exit with code 1)"');
    const msg = await failure('unexpected-trap.toml', text.replace('trap = "something else"', 'exit-code = 3'), 'preview2');
    expect(msg).toMatch(/^unexpected-trap\.toml \[preview2\] run: unexpected trap: denied by policy: exit/);
  });

  it('expect.error: a policy that should be refused but runs, and one refused for another reason', async () => {
    expect(await failure('not-refused.toml', `component = "stdio"
[expect]
error = "anything"
`, 'preview2')).toBe('not-refused.toml [preview2] expect.error: expected a refusal containing "anything", but it exited with 0');
    const other = await failure('refused-otherwise.toml', `component = "stdio"
[virt-opts]
clocks = "sometimes"
[expect]
error = "random"
`, 'preview2');
    expect(other).toMatch(/^refused-otherwise\.toml \[preview2\] expect\.error: expected a refusal containing "random", got ".*refused-otherwise\.toml:3: virt-opts\.clocks: expected .*got \\"sometimes\\""$/);
  });

  it('a refused policy in a case that expects a run', async () => {
    const msg = await failure('refused.toml', `component = "stdio"

[virt-opts.stdio]
stdout = "loud"

[expect]
stdout = "Hello world"
`, 'preview2');
    expect(msg).toBe(`refused.toml [preview2] run: refused before the guest ran: ${join(dir, 'refused.toml')}:4: virt-opts.stdio.stdout: expected "allow", "ignore" or "deny", got "loud"`);
  });

  it('expect.deterministic with host random', async () => {
    const msg = await failure('not-deterministic.toml', `component = "clock-random"
args = ["random"]
[virt-opts]
random = "allow"
[expect]
deterministic = true
stdout-contains = ["random="]
`, 'preview2');
    expect(msg).toMatch(/^not-deterministic\.toml \[preview2\] expect\.deterministic: two runs differ on stdout: expected "random=[0-9a-f]{32}\\n" got "random=[0-9a-f]{32}\\n"$/);
  });

  it('composed and `wasi-virt run` cases report the same way', async () => {
    const text = (how: string) => `component = "args"
${how}
args = ["--exit=3"]
[expect]
stdout = "argc=1\\n"
`;
    for (const abi of ['preview1', 'preview2'] as const) {
      for (const how of ['compose = true', 'cli = true']) {
        const lines = (await failure('child.toml', text(how), abi)).split('\n');
        expect(lines).toEqual([
          `child.toml [${abi}] expect.exit-code: expected 0 got ${abi === 'preview1' ? 3 : 1} (stdout "argc=2\\nargv[0]=args.wasm\\nargv[1]=--exit=3\\n")`,
          `child.toml [${abi}] expect.stdout: expected "argc=1\\n" got "argc=2\\nargv[0]=args.wasm\\nargv[1]=--exit=3\\n"`,
        ]);
      }
    }
    // preview3 through `wasi-virt run` on Node 26 (bundles do not run 0.3 yet): the 0.3
    // guest calls exit-with-code, so its code survives.
    expect((await failure('child.toml', text('cli = true'), 'preview3')).split('\n')).toEqual([
      'child.toml [preview3] expect.exit-code: expected 0 got 3 (stdout "argc=2\\nargv[0]=args.wasm\\nargv[1]=--exit=3\\n")',
      'child.toml [preview3] expect.stdout: expected "argc=1\\n" got "argc=2\\nargv[0]=args.wasm\\nargv[1]=--exit=3\\n"',
    ]);
  });

  it('expect.encapsulation: env left unvirtualized reaches the host', async () => {
    const msg = await failure('leaky.toml', `component = "do-everything"
[virt-opts]
exit = false
clocks = false
http = false
random = false
sockets = false
fs.host-preopens = false
stdio = { stdin = "ignore", stdout = "ignore", stderr = "ignore" }
[expect]
encapsulation = true
`, 'preview1');
    expect(msg).toMatch(/^leaky\.toml \[preview1\] expect\.encapsulation: expected nothing to reach the host, but env reaches the host/);
  });

  it('expect.imports on both ABIs', async () => {
    const text = `component = "do-everything"
[virt-opts]
clocks = { deterministic = {} }
random = "allow"
[expect]
imports.required = ["wasi:clocks/wall-clock"]
imports.disallowed = ["wasi:random/"]
`;
    for (const abi of ['preview1', 'preview2'] as const) {
      const lines = (await failure('imports.toml', text, abi)).split('\n');
      expect(lines[0]).toBe(`imports.toml [${abi}] expect.imports.required: expected an import matching "wasi:clocks/wall-clock" to reach the host, but none does`);
      expect(lines[1]).toMatch(new RegExp(`^imports\\.toml \\[${abi}\\] expect\\.imports\\.disallowed: expected nothing matching "wasi:random/" to reach the host, but ${abi === 'preview1' ? 'random \\(via random_get\\)' : 'wasi:random/random@0\\.2\\.\\d+'} does`));
    }

    // preview3: the 0.3 clock-random guest, its imports read from the component.
    const p3 = (await failure('imports3.toml', `component = "clock-random"
[virt-opts]
clocks = { deterministic = {} }
random = "allow"
[expect]
imports.required = ["wasi:clocks/system-clock"]
imports.disallowed = ["wasi:random/random"]
`, 'preview3')).split('\n');
    expect(p3).toEqual([
      'imports3.toml [preview3] expect.imports.required: expected an import matching "wasi:clocks/system-clock" to reach the host, but none does',
      'imports3.toml [preview3] expect.imports.disallowed: expected nothing matching "wasi:random/random" to reach the host, but wasi:random/random@0.3.0-rc-2026-03-15 does',
    ]);
  });
});

describe('a malformed case fails at its file and line', () => {
  const at = (name: string) => join(dir, name);
  it.each([
    ['unknown-key.toml', 'component = "stdio"\ncolour = "red"\n[expect]\n', 'unknown-key.toml:2: unknown key "colour"'],
    ['unknown-expect.toml', 'component = "stdio"\n[expect]\nstdout = "x"\nstdot = "y"\n', 'unknown-expect.toml:4: expect: unknown key "stdot"'],
    ['bad-host-env.toml', 'component = "get-env"\n\n[host-env]\nA = 1\n[expect]\n', 'bad-host-env.toml:4: host-env.A: expected a string, got 1'],
    ['no-expect.toml', 'component = "stdio"\n', 'no-expect.toml:1: missing table [expect]'],
    ['no-guest.toml', 'component = "nonesuch"\n[expect]\n', 'no-guest.toml:1: component: no tests/components/c/case_nonesuch.c (built) or tests/components/wat/case-nonesuch.wat'],
    ['bad-abi.toml', 'component = "stdio"\nabi = ["preview4"]\n[expect]\n', 'bad-abi.toml:2: abi[0]: expected "preview1", "preview2" or "preview3", got "preview4"'],
    ['native-p1.toml', 'component = "cwd"\nabi = ["preview1"]\n[expect]\n', 'native-p1.toml:2: abi: "cwd" is a native preview2 component: it does not run on preview1'],
    ['config.toml', 'component = "stdio"\n[host-config]\nx = "y"\n[expect]\n', 'config.toml:2: wasi:config is not supported (out of scope: its virtualization is experimental in WASI-Virt)'],
    ['file-read-no-path.toml', 'component = "file-read"\n[expect]\nfile-read = "x"\n', 'file-read-no-path.toml:3: expect: file-read needs host-fs-path (the path the guest reads)'],
    ['abi-error.toml', 'component = "stdio"\n[expect.preview1]\nerror = "x"\n', 'abi-error.toml:3: expect.preview1: unknown key "error"'],
    ['syntax.toml', 'component = "stdio"\n[expect\n', 'syntax.toml:2: TOML syntax error'],
  ])('%s', (name, text, message) => {
    write(name, text);
    expect(() => readCase(at(name))).toThrow(`${at(name).slice(0, -name.length)}${message}`);
  });
});

it('docs/test-cases.md shows tests/cases/readme-example.toml as it is', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'test-cases.md'), 'utf8');
  const example = readFileSync(join(CASES_DIR, 'readme-example.toml'), 'utf8');
  expect(doc).toContain(`## An example\n\n\`\`\`toml\n${example}\`\`\`\n`);
});
