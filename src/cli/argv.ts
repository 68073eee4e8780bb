/**
 * The yargs side of flag handling: argv clean-up before parsing, and the parsed object
 * turned into CliFlags (src/cli/flags.ts does the meaning).
 *
 * WASI-Virt's optional-value flags need `=` for a value (`--allow-env=A,B`), and a bare
 * one has its own meaning (`--allow-env`: every variable). yargs would take the next word
 * as the value (`--allow-env app.wasm`), so a bare occurrence is rewritten before parsing:
 * to `--stdin=allow` for the stdio flags (bare means allow), and to `--allow-env=<NUL>` /
 * `--deterministic=<NUL>` for the others. NUL cannot occur in a real argument, so the
 * marker cannot be confused with a value.
 */
import { CliError } from './errors.js';
import { LIMIT_FLAGS, type CliFlags } from './flags.js';

const BARE = '\0';

/** Bare means "no value given" (read back as `true` in CliFlags). */
const BARE_MARKED = new Set(['--allow-env', '--deterministic']);
/** Bare means `allow`; a following allow/ignore/deny is taken as the value. */
const STDIO_FLAGS = new Set(['--stdio', '--stdin', '--stdout', '--stderr']);
const STDIO_WORDS = new Set(['allow', 'ignore', 'deny']);

export const BOOLEAN_FLAGS = [
  'allow-all', 'allow-clocks', 'allow-exit', 'allow-fs', 'allow-http', 'allow-random', 'allow-sockets',
  'allow-stdio', 'debug', 'inline', 'json', 'keep-vcs',
] as const;
const BOOLEAN_SET = new Set<string>(BOOLEAN_FLAGS.map((f) => `--${f}`));

/**
 * yargs' usage messages, reworded for this CLI: it drops the dashes of an unknown flag
 * ("Unknown argument: bogus"), which reads as if a positional were wrong.
 */
export function usageMessage(msg: string, raw: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg.trim());
  if (unknown) {
    const names = unknown[1]!.split(', ');
    const end = raw.indexOf('--');
    const before = end < 0 ? raw : raw.slice(0, end);
    const shown = names.map((n) => {
      const flag = before.find((t) => t === `--${n}` || t.startsWith(`--${n}=`) || t === `-${n}`);
      return flag ? flag.split('=')[0]! : `"${n}"`;
    });
    const flags = shown.filter((s) => s.startsWith('-'));
    const words = shown.filter((s) => !s.startsWith('-'));
    const parts: string[] = [];
    if (flags.length > 0) parts.push(`unknown flag${flags.length > 1 ? 's' : ''} ${flags.join(', ')}`);
    if (words.length > 0) parts.push(`unexpected argument${words.length > 1 ? 's' : ''} ${words.join(', ')}`);
    const run = before.includes('run');
    const hints: string[] = [];
    if (run && flags.length > 0) hints.push('guest arguments that start with - go after --');
    if (!run && flags.some((f) => f === '--dir' || f === '--mapdir')) hints.push('--dir and --mapdir are run\'s; compose takes --preopen GUEST=HOST');
    hints.push(`see wasi-virt${run ? ' run' : ''} --help`);
    return `${parts.join('; ')} (${hints.join('; ')})`;
  }
  const choice = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(oneLineOf(msg));
  if (choice) return `--${choice[1]} expects ${choice[3]!.split(', ').join(' or ')}, got ${choice[2]}`;
  if (/^Not enough non-option arguments/.test(msg)) {
    const command = raw.find((t) => t === 'run' || t === 'inspect') ?? 'run';
    return `missing the app file (e.g. wasi-virt ${command} app.wasm)`;
  }
  return msg;
}

function oneLineOf(msg: string): string {
  return msg.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

export function prepareArgv(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const tok = raw[i]!;
    if (tok === '--') {
      out.push(...raw.slice(i));
      break;
    }
    if (BARE_MARKED.has(tok)) {
      // A following word that can only be the value is taken as it: `--deterministic 7`,
      // `--allow-env HOME,LANG` (upper-case names; no app or guest argument looks like that).
      const next = raw[i + 1] ?? '';
      const value = tok === '--deterministic' ? /^\d+$/ : /^[A-Z_][A-Z0-9_]*(,[A-Z_][A-Z0-9_]*)*$/;
      if (value.test(next)) out.push(`${tok}=${raw[++i]}`);
      else out.push(`${tok}=${BARE}`);
      continue;
    }
    if (STDIO_FLAGS.has(tok)) {
      out.push(STDIO_WORDS.has(raw[i + 1] ?? '') ? `${tok}=${raw[++i]}` : `${tok}=allow`);
      continue;
    }
    const eq = tok.indexOf('=');
    if (tok.startsWith('--') && eq > 0 && BOOLEAN_SET.has(tok.slice(0, eq))) {
      const v = tok.slice(eq + 1);
      if (v !== 'true' && v !== 'false') throw new CliError(`${tok.slice(0, eq)} expects true or false, got "${v}"`);
    }
    out.push(tok);
  }
  return out;
}

type Argv = Record<string, unknown>;

function last(v: unknown): unknown {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function list(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

function bool(v: unknown): boolean | undefined {
  const x = last(v);
  return x === undefined ? undefined : x === true || x === 'true';
}

function str(v: unknown): string | undefined {
  const x = last(v);
  return x === undefined ? undefined : String(x);
}

export function toCliFlags(argv: Argv): CliFlags {
  const flags: CliFlags = {
    allowAll: bool(argv['allow-all']),
    allowClocks: bool(argv['allow-clocks']),
    allowExit: bool(argv['allow-exit']),
    allowFs: bool(argv['allow-fs']),
    allowHttp: bool(argv['allow-http']),
    allowRandom: bool(argv['allow-random']),
    allowSockets: bool(argv['allow-sockets']),
    allowStdio: bool(argv['allow-stdio']),
    stdio: str(argv.stdio),
    stdin: str(argv.stdin),
    stdout: str(argv.stdout),
    stderr: str(argv.stderr),
    allowEnv: list(argv['allow-env'])?.map((s) => (s === BARE ? true : s)),
    env: list(argv.env),
    mount: list(argv.mount),
    include: list(argv.include),
    exclude: list(argv.exclude),
    keepVcs: bool(argv['keep-vcs']),
    outsideSymlinks: str(argv['outside-symlinks']),
    preopen: list(argv.preopen),
    dir: list(argv.dir),
    mapdir: list(argv.mapdir),
    deterministic: ((d) => (d === undefined ? undefined : d === BARE ? true : d))(str(argv.deterministic)),
    cwd: str(argv.cwd),
    debug: bool(argv.debug),
    limits: limitFlags(argv),
  };
  for (const k of Object.keys(flags) as (keyof CliFlags)[]) if (flags[k] === undefined) delete flags[k];
  return flags;
}

function limitFlags(argv: Argv): CliFlags['limits'] {
  const out: NonNullable<CliFlags['limits']> = {};
  for (const [key, { flag }] of Object.entries(LIMIT_FLAGS) as [keyof typeof LIMIT_FLAGS, { flag: string }][]) {
    const v = str(argv[flag]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
