/** docs/policy.md's full example: the TOML, the JSON and the builder code give one policy. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyBuilder } from '../../src/policy/builder.js';
import { parsePolicyText } from '../../src/policy/parse.js';
import { ROOT } from '../helpers/guests.js';
import { cli, ensureBuilt } from '../cli/cli.js';

const doc = readFileSync(join(ROOT, 'docs', 'policy.md'), 'utf8');
const example = doc.slice(doc.indexOf('## A full example'));

function block(lang: string): string {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(example);
  if (!m) throw new Error(`no ${lang} block in the full example`);
  return m[1]!;
}

beforeAll(() => {
  ensureBuilt();
});

describe('docs/policy.md full example', () => {
  it('TOML and JSON are the same policy, and the JSON is canonical', () => {
    const fromToml = parsePolicyText(block('toml'), 'toml', 'example.toml');
    const json = block('json');
    expect(parsePolicyText(json, 'json', 'example.json')).toEqual(fromToml);
    expect(JSON.parse(json)).toEqual(fromToml);
  });

  it('is what `wasi-virt policy --config` prints, key order included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-virt-docs-'));
    writeFileSync(join(dir, 'example.toml'), block('toml'));
    const r = cli(['policy', '--config', join(dir, 'example.toml')]);
    expect(r.stderr).toBe('');
    expect(JSON.stringify(JSON.parse(r.stdout))).toBe(JSON.stringify(JSON.parse(block('json'))));
  });

  it('the builder code gives it too', () => {
    const code = block('js').replace(/^import .*$/m, '');
    const virt = new Function('WasiVirt', `${code}\nreturn virt;`)(PolicyBuilder) as PolicyBuilder;
    expect(virt.policy()).toEqual(JSON.parse(block('json')));
  });
});
