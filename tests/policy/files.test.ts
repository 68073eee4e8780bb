import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/policy/parse.js';
import { loadPolicyFile, loadPolicyFileSync } from '../../src/policy/load.js';
import { PolicyFileError } from '../../src/policy/errors.js';

function fileError(text: string, format: 'toml' | 'json'): PolicyFileError {
  try {
    parsePolicyText(text, format, `policy.${format}`);
  } catch (e) {
    if (e instanceof PolicyFileError) return e;
    throw e;
  }
  throw new Error('expected a PolicyFileError');
}

const TOML = `# a policy
exit = true

[env]
host = { allow = ["HOME"] }
overrides = [
  ["A", "1"],
  ["B", 2],
]

[fs.preopens."/".dir.x]
source = "hi"

[fs.preopens."/".dir.y]
foo = "bar"
`;

describe('policy files: errors carry file:line and the key path', () => {
  it('TOML: unknown key at its own line', () => {
    expect(fileError(TOML.replace('["B", 2]', '["B", "2"]'), 'toml').message)
      .toBe('policy.toml:15: fs.preopens."/".dir.y: unknown key "foo"');
  });

  it('TOML: wrong type inside a multi-line array, at the element\'s line', () => {
    expect(fileError(TOML, 'toml').message).toBe('policy.toml:8: env.overrides[1][1]: expected a string, got 2');
  });

  it('TOML: a dotted key and an inline table', () => {
    expect(fileError('exit = true\nfs.host-preopens = "yes"\n', 'toml').message)
      .toBe('policy.toml:2: fs.host-preopens: expected true or false, got "yes"');
    expect(fileError('\n\nstdio = { stdin = "allow", stdout = "loud" }\n', 'toml').message)
      .toBe('policy.toml:3: stdio.stdout: expected "allow", "ignore" or "deny", got "loud"');
  });

  it('TOML: a missing key points at the table that lacks it', () => {
    expect(fileError('[clocks]\n\n[exit]\n', 'toml').message).toMatch(/^policy\.toml:1: clocks: expected a \{ deterministic/);
  });

  it('TOML: syntax errors give the line', () => {
    expect(fileError('exit = true\nclocks = \n\n', 'toml').message).toMatch(/^policy\.toml:2: TOML syntax error: /);
    expect(fileError('exit = true\nexit = false\n', 'toml').message).toMatch(/^policy\.toml:2: TOML syntax error: /);
    expect(fileError('[env]\nhost = "all\n', 'toml').message).toMatch(/^policy\.toml:2: TOML syntax error: /);
  });

  it('JSON: wrong type, unknown key, duplicate key, syntax', () => {
    const json = '{\n  "exit": true,\n  "fs": {\n    "preopens": {\n      "/": { "dir": { "x": { "source": 1 } } }\n    }\n  }\n}\n';
    expect(fileError(json, 'json').message).toBe('policy.json:5: fs.preopens."/".dir.x.source: expected a string (the file\'s UTF-8 text), got 1');
    expect(fileError('{\n"exit": true,\n"exits": false\n}', 'json').message).toBe('policy.json:3: unknown key "exits" (did you mean "exit"?)');
    expect(fileError('{\n"exit": true,\n"exit": false\n}', 'json').message).toBe('policy.json:3: duplicate key "exit"');
    expect(fileError('{\n"exit": true,\n}', 'json').message).toMatch(/^policy\.json:3: JSON syntax error: /);
    expect(fileError('{\n"exit": true\n"http": true}', 'json').message).toBe('policy.json:3: JSON syntax error: expected ","');
  });

  it('JSON: a file cut off mid-document is reported as truncated, a real trailing comma as one', () => {
    expect(fileError('{"clocks": "deny",', 'json').message).toBe('policy.json:1: JSON syntax error: the document ends early (truncated?): expected a "key"');
    expect(fileError('{\n  "clocks": "deny"\n', 'json').message).toBe('policy.json:2: JSON syntax error: the document ends early (truncated?): expected "}"');
    expect(fileError('{"clocks": "deny",}', 'json').message).toBe('policy.json:1: JSON syntax error: expected a "key" (JSON has no trailing commas)');
  });

  it('JSON allows comments', () => {
    expect(parsePolicyText('// allow exit\n{ "exit": true /* yes */ }', 'json')).toEqual({ exit: 'allow' });
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-virt-policy-'));

  it('reads TOML and JSON, keeping relative host paths as written', async () => {
    writeFileSync(join(dir, 'p.toml'), '[fs.preopens."/"]\nvirtualize = "./site"\n');
    writeFileSync(join(dir, 'p.json'), '{ "fs": { "preopens": { "/": { "virtualize": "./site" } } } }');
    const expected = { fs: { 'host-preopens': false, preopens: { '/': { virtualize: './site' } } } };
    expect(await loadPolicyFile(join(dir, 'p.toml'))).toEqual(expected);
    expect(loadPolicyFileSync(join(dir, 'p.json'))).toEqual(expected);
  });

  it('names the file in errors', async () => {
    writeFileSync(join(dir, 'bad.toml'), 'exit = 1\n');
    await expect(loadPolicyFile(join(dir, 'bad.toml'))).rejects.toThrow(`${join(dir, 'bad.toml')}:1: exit: expected "allow" or "deny"`);
    await expect(loadPolicyFile(join(dir, 'none.toml'))).rejects.toThrow('none.toml: cannot read policy file: no such file');
    mkdirSync(join(dir, 'adir.toml'));
    expect(() => loadPolicyFileSync(join(dir, 'adir.toml'))).toThrow('cannot read policy file: is a directory');
    expect(() => loadPolicyFileSync(join(dir, 'p.yaml'))).toThrow('must end in .toml or .json');
  });
});
