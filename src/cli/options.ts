/**
 * The yargs command line: commands, every flag with its help text, and the defaults
 * table. Handlers only record which command was chosen; main.ts runs it after parsing,
 * so yargs never sees (or prints) a command's errors.
 */
import yargs, { type Argv } from 'yargs';
import type { CommandMode } from './flags.js';

export type Chosen =
  | { command: 'compose'; argv: Record<string, unknown> }
  | { command: 'run'; argv: Record<string, unknown> }
  | { command: 'inspect'; argv: Record<string, unknown> }
  | { command: 'policy'; argv: Record<string, unknown> };

export const DEFAULTS_TABLE = `Defaults (flags and --config change them):
             clocks  random  exit   stdio  env    fs     sockets  http
  compose    deny    deny    allow  deny   none   none   deny     deny
  run        allow   allow   allow  allow  none   none   deny     deny
compose is deny-by-default like WASI-Virt's CLI, except exit (a guest's
exit(0) never traps); run behaves like \`wasmtime run\`. "env none": no host
variable reaches the guest; "fs none": no preopens.`;

const ALLOW = 'Subsystems ([=true|false], bare = true; false denies):';
const STDIO = 'Standard streams (MODE: allow | ignore | deny):';
const ENV = 'Environment:';
const FILES = 'Files:';
const OTHER = 'Other:';
const LIMITS = 'Limits:';

/** The subsystem switches (booleans), flag to help text. */
const ALLOW_FLAGS: Record<string, string> = {
  'allow-all': 'Allow every subsystem below (env: every host variable; fs: host preopens; stdio: allow). Each --allow-* flag wins over it',
  'allow-clocks': 'Host wall and monotonic clocks (denied: every clock call fails)',
  'allow-exit': 'Pass exit codes through (denied: a non-zero exit traps; exit(0) always ends the guest normally)',
  'allow-fs': 'Expose the preopens the embedder supplies at run time (fs.host-preopens)',
  'allow-http': 'Outgoing HTTP (wasi:http)',
  'allow-random': 'The host\'s secure random source',
  'allow-sockets': 'TCP/UDP sockets and name lookup (wasi:sockets)',
  'allow-stdio': 'stdin, stdout and stderr: allow (false: deny)',
};

/** The stream modes (strings), flag to help text. */
const STDIO_FLAGS: Record<string, string> = {
  stdio: '--stdio=MODE: all three streams (unlike WASI-Virt\'s, this one takes effect); the per-stream flags win over it',
  stdin: '--stdin[=MODE]: allow = the host\'s, ignore = always EOF, deny = reads fail; bare = allow',
  stdout: '--stdout[=MODE]: allow = the host\'s, ignore = discarded, deny = writes fail; bare = allow',
  stderr: '--stderr[=MODE]: like --stdout',
};

/** The resource limits (docs/policy.md, `limits`): each takes a number or a size/time with a unit. */
const LIMIT_OPTIONS: Record<string, string> = {
  'max-open-files': '--max-open-files N: files the guest may hold open, stdio and preopens included (default 1024); past it opens fail with EMFILE',
  'max-stdout-bytes': '--max-stdout-bytes SIZE: bytes the guest may write to stdout (e.g. 10M); past it writes fail with EDQUOT',
  'max-stderr-bytes': '--max-stderr-bytes SIZE: the same for stderr',
  'max-write-bytes': '--max-write-bytes SIZE: bytes the guest may write into host files (preopens), all together',
  'max-memory': '--max-memory SIZE: largest linear memory (e.g. 256M); the guest traps past it',
  'timeout': '--timeout TIME: stop the guest after TIME (ms, or e.g. 5s); it runs in a worker thread, trap exit 134',
};

/** The policy flags every command takes; `run` (and inspect/policy) add wasmtime's spellings. */
function policyOptions(y: Argv, mode: CommandMode | 'any'): Argv {
  for (const [name, describe] of Object.entries(ALLOW_FLAGS)) y.option(name, { type: 'boolean', group: ALLOW, describe });
  for (const [name, describe] of Object.entries(STDIO_FLAGS)) y.option(name, { type: 'string', group: STDIO, describe });
  y
    .option('allow-env', { type: 'string', group: ENV, describe: '--allow-env[=A,B,...]: host variables the guest sees: bare = all of them, with names = only those (repeatable, names add up)' })
    .option('env', { alias: 'e', type: 'string', group: ENV, describe: '-e K=V: set a guest variable (repeatable; the value is everything after the first "=", commas included). -e NAME: let host variable NAME through (wasmtime\'s --env NAME)' })
    .option('mount', { type: 'string', group: FILES, describe: '--mount GUEST=HOSTPATH: embed HOSTPATH (a directory, or a single file at an absolute GUEST) read-only at guest path GUEST, read when the policy is built (a snapshot; repeatable)' })
    .option('include', { type: 'string', group: FILES, describe: '--include GLOB: keep only files matching GLOB (relative to the mounted dir) in every --mount (repeatable)' })
    .option('exclude', { type: 'string', group: FILES, describe: '--exclude GLOB: leave out files and directories (with all they hold) matching GLOB from every --mount, besides .git and the other version-control folders (repeatable)' })
    .option('keep-vcs', { type: 'boolean', group: FILES, describe: 'Embed version-control folders (.git, .hg, .svn, ...) in every --mount too; they are left out by default' })
    .option('outside-symlinks', { type: 'string', group: FILES, describe: '--outside-symlinks error|skip: a symlink in a --mount that points outside it refuses the build (error, default) or is left out (skip)' })
    .option('preopen', { type: 'string', group: FILES, describe: '--preopen GUEST=HOSTPATH[:ro]: open host directory HOSTPATH at GUEST when the guest starts, confined to it; :ro closes every write path (repeatable)' });
  if (mode !== 'compose') {
    y.option('dir', { type: 'string', group: FILES, describe: '--dir HOST[::GUEST] (wasmtime): same as --preopen GUEST=HOST, read-write; with HOST alone the guest path is HOST as written (e.g. --dir . gives ".")' })
      .option('mapdir', { type: 'string', group: FILES, describe: '--mapdir GUEST::HOST (the WASI tutorial\'s; GUEST:HOST also accepted): same as --dir HOST::GUEST' });
  }
  for (const [name, describe] of Object.entries(LIMIT_OPTIONS)) y.option(name, { type: 'string', group: LIMITS, describe });
  return y
    .option('deterministic', { type: 'string', group: OTHER, describe: '--deterministic[=SEED]: virtual clocks (start 2000-01-01T00:00:00Z, +1 ms per reading, sleeps return at once) and random seeded with SEED (default 0). An explicit --allow-clocks=false / --allow-random=false still denies' })
    .option('cwd', { type: 'string', group: OTHER, describe: '--cwd DIR: the guest\'s initial working directory' })
    .option('config', { type: 'string', group: OTHER, describe: '--config FILE: a policy file (.toml or .json, see docs/policy.md); flags override it' })
    .option('debug', { type: 'boolean', group: OTHER, describe: 'Trace every WASI call to stderr, and print the stack of an internal error' })
    .option('wasi-version', { type: 'string', group: OTHER, describe: '--wasi-version VER: accepted so WASI-Virt command lines work, and ignored (every WASI 0.2.x import is served)' });
}

/** Commands other than the default (compose), as the first word names them. */
export const COMMANDS = ['run', 'inspect', 'policy'] as const;

/**
 * Every long flag a command takes (aliases included), read off the same option calls
 * the parser is built from, so a typo can be named before yargs misreads it.
 */
export function flagNames(command: Chosen['command']): string[] {
  const names: string[] = ['help', 'version'];
  const collect = {
    option(name: string, o: { alias?: string }) {
      names.push(name);
      if (o.alias && o.alias.length > 1) names.push(o.alias);
      return collect;
    },
  };
  policyOptions(collect as unknown as Argv, command === 'run' ? 'run' : command === 'compose' ? 'compose' : 'any');
  if (command === 'compose') names.push('out', 'inline');
  if (command === 'inspect') names.push('json', 'for');
  if (command === 'policy') names.push('for');
  return names;
}

const FOR = { type: 'string', choices: ['run', 'compose'], group: OTHER, describe: 'Which command\'s defaults apply (default compose)' } as const;

export function buildCli(argv: string[], version: string, choose: (c: Chosen) => void): Argv {
  const width = Math.min(110, process.stdout.columns || 100);
  /** A command: the policy flags for `mode`, what `extra` adds, the defaults table, and its choice recorded. */
  const command = (y: Argv, name: Chosen['command'], spec: string, what: string, mode: CommandMode | 'any', extra: (y: Argv) => Argv): Argv =>
    y.command(spec, what, (c) => extra(policyOptions(c, mode)).epilog(DEFAULTS_TABLE), (a) => choose({ command: name, argv: a }));
  let y = skipHelpCache(yargs(argv))
    .scriptName('wasi-virt')
    .parserConfiguration({ 'populate--': true, 'boolean-negation': false, 'camel-case-expansion': false })
    .usage('Run or bundle a WebAssembly program that uses WASI under a virtualization policy.');
  y = command(y, 'compose', '$0 [app]',
    'Compose: write a runnable bundle of app.wasm that carries the policy (and the --mount snapshots). Without app, only the virtual host.',
    'compose', (c) => c
      .positional('app', { type: 'string', describe: 'A preview1 core module or a preview2 component' })
      .option('out', { alias: 'o', type: 'string', group: OTHER, describe: '--out DIR: the directory to write the bundle into: DIR/<app>.js to run, the app, snapshots, the runtime (required; not a .wasm file)' })
      .option('inline', { type: 'boolean', group: OTHER, describe: 'Write the bundle as one self-contained ES module (app, snapshots and runtime inside <name>.js), for a CDN, a worker or a data: URL' })
      .example('$0 app.wasm --mount /=./site --allow-stdio -o out/', 'embed ./site as the guest\'s /, print to the host\'s stdio'));
  y = command(y, 'run', 'run <app> [args..]',
    'Run app.wasm now, like `wasmtime run`. Guest arguments follow the app; put them after -- when they start with -.',
    'run', (c) => c
      .positional('app', { type: 'string', describe: 'A preview1 core module, a preview2 component, or a module\'s .wat text' })
      .positional('args', { type: 'string', array: true, describe: 'Guest arguments (argv[1...])' })
      .example('$0 run --dir . app.wasm -- --verbose input.txt', 'the current directory as the guest\'s ".", read-write')
      .example('$0 run --mount /=./data --env HOME --deterministic app.wasm', 'a snapshot of ./data, host HOME, reproducible time and random')
      .example('$0 run --dir=. --mapdir=/tmp:/var/tmp demo.wasm in.txt /tmp/out.txt', 'wasmtime\'s spellings (--dir HOST[::GUEST], --mapdir GUEST:HOST, --env K=V)'));
  y = command(y, 'inspect', 'inspect <app>', 'Show what app.wasm imports and what the policy does with each import.',
    'any', (c) => c
      .positional('app', { type: 'string', describe: 'A preview1 core module or a preview2 component' })
      .option('json', { type: 'boolean', group: OTHER, describe: 'Print JSON instead of a table' })
      .option('for', FOR));
  y = command(y, 'policy', 'policy', 'Print the resolved Policy as JSON (reads no file but --config).',
    'any', (c) => c
      .option('for', FOR)
      .example('$0 policy --for run --allow-env=HOME --mount /=./x', 'the policy `run` would use'));
  return y
    .strict()
    .help()
    .alias('help', 'h')
    .version(`wasi-virt ${version}`)
    .alias('version', 'V')
    .wrap(width)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new YargsUsageError(msg);
    });
}

/**
 * yargs lays out the chosen command's whole help text (string-width and wrap-ansi over
 * every flag's description: ~75 ms, a third of a `wasi-virt run`) right after the
 * command's handler, and keeps it for a later `showHelp()` from that handler. Ours only
 * record the choice and never show help, so the layout is skipped; `--help` and usage
 * errors lay it out when they print. tests/cli/help-cache.test.ts fails if yargs stops
 * having this hook.
 */
export function skipHelpCache(y: Argv): Argv {
  const usage = (y as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return y;
}

interface YargsInternals {
  getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } | undefined };
}

/** A usage error yargs reported (unknown flag, missing positional, bad choice). */
export class YargsUsageError extends Error {
  readonly userFacing = true;
}
