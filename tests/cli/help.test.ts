/** `--help` of every command documents every flag it accepts, and the defaults of both modes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from './cli.js';

const POLICY_FLAGS = [
  '--allow-all', '--allow-clocks', '--allow-exit', '--allow-fs', '--allow-http', '--allow-random', '--allow-sockets',
  '--allow-stdio', '--stdio', '--stdin', '--stdout', '--stderr', '--allow-env', '--env', '-e', '--mount', '--include',
  '--exclude', '--preopen', '--deterministic', '--cwd', '--config', '--debug', '--wasi-version', '--help', '--version',
];
const WASMTIME = ['--dir', '--mapdir'];

beforeAll(() => {
  ensureBuilt();
});

function help(args: string[]): string {
  const r = cli([...args, '--help']);
  expect(r.status).toBe(0);
  return r.stdout;
}

function documented(text: string, flag: string): boolean {
  return new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}(?![\\w-])`, 'm').test(text);
}

describe('--help', () => {
  it('compose (the default command) documents every flag and both defaults', () => {
    const text = help([]);
    for (const flag of [...POLICY_FLAGS, '--out', '-o']) expect(documented(text, flag), flag).toBe(true);
    for (const flag of WASMTIME) expect(documented(text, flag), flag).toBe(false);
    for (const cmd of ['run <app>', 'inspect <app>', 'policy']) expect(text).toContain(cmd);
    expect(text).toMatch(/compose\s+deny\s+deny\s+allow\s+deny\s+none\s+none\s+deny\s+deny/);
    expect(text).toMatch(/run\s+allow\s+allow\s+allow\s+allow\s+none\s+none\s+deny\s+deny/);
  });

  it('run documents wasmtime\'s spellings and guest arguments', () => {
    const text = help(['run']);
    for (const flag of [...POLICY_FLAGS, ...WASMTIME]) expect(documented(text, flag), flag).toBe(true);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('HOST[::GUEST]');
    expect(flat).toContain('GUEST::HOST');
    expect(flat).toContain('--env NAME');
    expect(flat).toMatch(/after --/);
    expect(flat).toContain('wasmtime run');
  });

  it('inspect and policy document --for', () => {
    for (const cmd of ['inspect', 'policy']) {
      const text = help([cmd]);
      for (const flag of [...POLICY_FLAGS, ...WASMTIME, '--for']) expect(documented(text, flag), `${cmd} ${flag}`).toBe(true);
    }
    expect(documented(help(['inspect']), '--json')).toBe(true);
  });
});
