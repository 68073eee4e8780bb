/**
 * One intent, four spellings: CLI flags (the built `wasi-virt policy` command), a TOML
 * file, a JSON file and the builder. All must give the same Policy.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyBuilder } from '../../src/policy/builder.js';
import { loadPolicyFileSync } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/types.js';
import { cli, ensureBuilt } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasi-virt-equiv-'));

function fromCli(args: string[]): Policy {
  const r = cli(['policy', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Policy;
}

function fromFile(name: string, text: string): Policy {
  const file = join(dir, name);
  writeFileSync(file, text);
  return loadPolicyFileSync(file);
}

interface Intent {
  name: string;
  flags: string[];
  toml: string;
  json: string;
  builder: () => PolicyBuilder;
}

const intents: Intent[] = [
  {
    name: 'compose: a site snapshot, two host variables, one override, stdio on',
    flags: ['--allow-env=HOME,LANG', '-e', 'GREETING=hi, there', '--mount', '/=./site', '--allow-stdio'],
    toml: `clocks = false
exit = true
http = false
random = false
sockets = false

[env]
host = { allow = ["HOME", "LANG"] }
overrides = [["GREETING", "hi, there"]]

[fs]
host-preopens = false
preopens."/" = { virtualize = "./site" }

[stdio]
stdin = "allow"
stdout = "allow"
stderr = "allow"
`,
    json: `{
  "clocks": "deny", "exit": "allow", "http": "deny", "random": "deny", "sockets": "deny",
  "env": { "host": { "allow": ["HOME", "LANG"] }, "overrides": [["GREETING", "hi, there"]] },
  "fs": { "host-preopens": false, "preopens": { "/": { "virtualize": "./site" } } },
  "stdio": { "stdin": "allow", "stdout": "allow", "stderr": "allow" }
}`,
    builder: () => new PolicyBuilder()
      .denyAll().exit(true)
      .env().allow(['HOME', 'LANG'])
      .env().overrides([['GREETING', 'hi, there']])
      .fs().virtualPreopen('/', './site')
      .stdio().allow(),
  },
  {
    name: 'run: a read-only data dir, the working dir, reproducible time and random',
    flags: ['--for', 'run', '--preopen', '/data=./data:ro', '--dir', '.', '--deterministic=42', '--stderr=ignore', '--cwd', '/data'],
    toml: `exit = "allow"
http = "deny"
sockets = "deny"
clocks = "deterministic"
random = { deterministic = { seed = 42 } }
cwd = "/data"

[env]
host = "none"

[fs.preopens]
"/data" = { runtime-dir = { path = "./data", readonly = true } }
"." = { runtime-dir = "." }

[stdio]
stderr = "ignore"
`,
    json: `{
  "exit": "allow", "http": "deny", "sockets": "deny",
  "clocks": { "deterministic": {} },
  "random": { "deterministic": { "seed": 42 } },
  "cwd": "/data",
  "env": { "host": "none", "overrides": [] },
  "fs": { "preopens": {
    "/data": { "runtime-dir": { "path": "./data", "readonly": true } },
    ".": { "runtime-dir": "." }
  } },
  "stdio": { "stdin": "allow", "stdout": "allow", "stderr": "ignore" }
}`,
    builder: () => new PolicyBuilder()
      .exit(true).http(false).sockets(false)
      .clocks('deterministic').random({ deterministic: { seed: 42 } })
      .cwd('/data')
      .env().denyAll()
      .fs().hostPreopen('/data', './data', { readonly: true })
      .fs().hostPreopen('.', '.')
      .stdio().stderr('ignore'),
  },
  {
    name: 'allow everything but the network, quiet stdout, one override',
    flags: ['--allow-all', '--allow-sockets=false', '--allow-http', 'false', '--stdout', 'ignore', '-e', 'MODE=ci'],
    toml: `clocks = true
exit = true
random = true
http = false
sockets = false

[env]
host = "all"
overrides = [["MODE", "ci"]]

[fs]
host-preopens = true

[stdio]
stdin = "allow"
stdout = "ignore"
stderr = "allow"
`,
    json: `{
  "clocks": true, "exit": true, "random": true, "http": false, "sockets": false,
  "env": { "host": "all", "overrides": [["MODE", "ci"]] },
  "fs": { "host-preopens": true },
  "stdio": { "stdout": "ignore" }
}`,
    builder: () => new PolicyBuilder()
      .allowAll().sockets(false).http(false)
      .stdio().stdout('ignore')
      .env().overrides([['MODE', 'ci']]),
  },
  {
    name: 'compose: a filtered snapshot, a deny-listed host env and ignored stdio',
    flags: ['--mount', '/www/=./public', '--include', '**/*.html', '--include', '**/*.css', '--exclude', 'drafts/**',
      '--allow-env', '-e', 'SECRET', '--stdio=ignore', '--allow-clocks'],
    toml: `clocks = "allow"
exit = "allow"
http = "deny"
random = "deny"
sockets = "deny"
stdio = { stdin = "ignore", stdout = "ignore", stderr = "ignore" }
env.host = "all"

[fs.preopens."/www".virtualize]
path = "./public"
include = ["**/*.html", "**/*.css"]
exclude = ["drafts/**"]
`,
    json: `{
  "clocks": "allow", "exit": "allow", "http": "deny", "random": "deny", "sockets": "deny",
  "stdio": { "stdin": "ignore", "stdout": "ignore", "stderr": "ignore" },
  "env": { "host": "all" },
  "fs": { "preopens": { "/www": { "virtualize": {
    "path": "./public", "include": ["**/*.html", "**/*.css"], "exclude": ["drafts/**"] } } } }
}`,
    builder: () => new PolicyBuilder()
      .denyAll().exit(true).clocks(true)
      .env().allowAll()
      .fs().virtualPreopen('/www', './public', { include: ['**/*.html', '**/*.css'], exclude: ['drafts/**'] }),
  },
];

beforeAll(() => {
  ensureBuilt();
});

describe('flags, TOML, JSON and the builder agree', () => {
  intents.forEach((intent, i) => {
    it(intent.name, () => {
      const expected = intent.builder().policy();
      expect(fromCli(intent.flags)).toEqual(expected);
      expect(fromFile(`intent${i}.toml`, intent.toml)).toEqual(expected);
      expect(fromFile(`intent${i}.json`, intent.json)).toEqual(expected);
      // The file loaded through --config, with no flags, gives the same policy again.
      expect(fromCli(['--config', join(dir, `intent${i}.toml`), ...(intent.flags[0] === '--for' ? intent.flags.slice(0, 2) : [])])).toEqual(expected);
      // And what `policy` prints loads back unchanged.
      expect(fromFile(`printed${i}.json`, JSON.stringify(fromCli(intent.flags)))).toEqual(expected);
    });
  });

  it('flags layered on a --config file', () => {
    const base = join(dir, 'base.toml');
    writeFileSync(base, `[env]
host = { deny = ["AWS_SECRET_ACCESS_KEY"] }
overrides = [["LANG", "C"]]

[fs.preopens."/"]
virtualize = "./site"
`);
    expect(fromCli(['--config', base, '--stdio=ignore', '--mount', '/assets=./assets', '-e', 'LANG=en', '--allow-random'])).toEqual(
      new PolicyBuilder()
        .denyAll().exit(true).random(true)
        .env().deny(['AWS_SECRET_ACCESS_KEY'])
        .env().overrides([['LANG', 'C'], ['LANG', 'en']])
        .fs().virtualPreopen('/', './site')
        .fs().virtualPreopen('/assets', './assets')
        .policy(),
    );
  });
});
