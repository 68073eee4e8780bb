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

/** The policy flags every command takes; `run` (and inspect/policy) add wasmtime's spellings. */
function policyOptions(y: Argv, mode: CommandMode | 'any'): Argv {
  y.option('allow-all', { type: 'boolean', group: ALLOW, describe: 'Allow every subsystem below (env: every host variable; fs: host preopens; stdio: allow). Each --allow-* flag wins over it' })
    .option('allow-clocks', { type: 'boolean', group: ALLOW, describe: 'Host wall and monotonic clocks (denied: every clock call fails)' })
    .option('allow-exit', { type: 'boolean', group: ALLOW, describe: 'Pass exit codes through (denied: a non-zero exit traps; exit(0) always ends the guest normally)' })
    .option('allow-fs', { type: 'boolean', group: ALLOW, describe: 'Expose the preopens the embedder supplies at run time (fs.host-preopens)' })
    .option('allow-http', { type: 'boolean', group: ALLOW, describe: 'Outgoing HTTP (wasi:http)' })
    .option('allow-random', { type: 'boolean', group: ALLOW, describe: 'The host\'s secure random source' })
    .option('allow-sockets', { type: 'boolean', group: ALLOW, describe: 'TCP/UDP sockets and name lookup (wasi:sockets)' })
    .option('allow-stdio', { type: 'boolean', group: ALLOW, describe: 'stdin, stdout and stderr: allow (false: deny)' })
    .option('stdio', { type: 'string', group: STDIO, describe: '--stdio=MODE: all three streams (unlike WASI-Virt\'s, this one takes effect); the per-stream flags win over it' })
    .option('stdin', { type: 'string', group: STDIO, describe: '--stdin[=MODE]: allow = the host\'s, ignore = always EOF, deny = reads fail; bare = allow' })
    .option('stdout', { type: 'string', group: STDIO, describe: '--stdout[=MODE]: allow = the host\'s, ignore = discarded, deny = writes fail; bare = allow' })
    .option('stderr', { type: 'string', group: STDIO, describe: '--stderr[=MODE]: like --stdout' })
    .option('allow-env', { type: 'string', group: ENV, describe: '--allow-env[=A,B,...]: host variables the guest sees: bare = all of them, with names = only those (repeatable, names add up)' })
    .option('env', { alias: 'e', type: 'string', group: ENV, describe: '-e K=V: set a guest variable (repeatable; the value is everything after the first "=", commas included). -e NAME: let host variable NAME through (wasmtime\'s --env NAME)' })
    .option('mount', { type: 'string', group: FILES, describe: '--mount GUEST=HOSTPATH: embed HOSTPATH (a directory, or a single file at an absolute GUEST) read-only at guest path GUEST, read when the policy is built (a snapshot; repeatable)' })
    .option('include', { type: 'string', group: FILES, describe: '--include GLOB: keep only files matching GLOB (relative to the mounted dir) in every --mount (repeatable)' })
    .option('exclude', { type: 'string', group: FILES, describe: '--exclude GLOB: leave out files and directories matching GLOB from every --mount (repeatable)' })
    .option('preopen', { type: 'string', group: FILES, describe: '--preopen GUEST=HOSTPATH[:ro]: open host directory HOSTPATH at GUEST when the guest starts, confined to it; :ro closes every write path (repeatable)' });
  if (mode !== 'compose') {
    y.option('dir', { type: 'string', group: FILES, describe: '--dir HOST[::GUEST] (wasmtime): same as --preopen GUEST=HOST, read-write; with HOST alone the guest path is HOST as written (e.g. --dir . gives ".")' })
      .option('mapdir', { type: 'string', group: FILES, describe: '--mapdir GUEST::HOST (the WASI tutorial\'s; GUEST:HOST also accepted): same as --dir HOST::GUEST' });
  }
  return y
    .option('deterministic', { type: 'string', group: OTHER, describe: '--deterministic[=SEED]: virtual clocks (start 2000-01-01T00:00:00Z, +1 ms per reading, sleeps return at once) and random seeded with SEED (default 0). An explicit --allow-clocks=false / --allow-random=false still denies' })
    .option('cwd', { type: 'string', group: OTHER, describe: '--cwd DIR: the guest\'s initial working directory' })
    .option('config', { type: 'string', group: OTHER, describe: '--config FILE: a policy file (.toml or .json, see docs/policy.md); flags override it' })
    .option('max-open-files', { type: 'string', group: LIMITS, describe: '--max-open-files N: files the guest may hold open, stdio and preopens included (default 1024); past it opens fail with EMFILE' })
    .option('max-stdout-bytes', { type: 'string', group: LIMITS, describe: '--max-stdout-bytes SIZE: bytes the guest may write to stdout (e.g. 10M); past it writes fail with EDQUOT' })
    .option('max-stderr-bytes', { type: 'string', group: LIMITS, describe: '--max-stderr-bytes SIZE: the same for stderr' })
    .option('max-write-bytes', { type: 'string', group: LIMITS, describe: '--max-write-bytes SIZE: bytes the guest may write into host files (preopens), all together' })
    .option('max-memory', { type: 'string', group: LIMITS, describe: '--max-memory SIZE: largest linear memory (e.g. 256M); the guest traps past it' })
    .option('timeout', { type: 'string', group: LIMITS, describe: '--timeout TIME: stop the guest after TIME (ms, or e.g. 5s); it runs in a worker thread, trap exit 134' })
    .option('debug', { type: 'boolean', group: OTHER, describe: 'Trace every WASI call to stderr, and print the stack of an internal error' })
    .option('wasi-version', { type: 'string', group: OTHER, describe: '--wasi-version VER: accepted so WASI-Virt command lines work, and ignored (every WASI 0.2.x import is served)' });
}

const FOR = { type: 'string', choices: ['run', 'compose'], group: OTHER, describe: 'Which command\'s defaults apply (default compose)' } as const;

export function buildCli(argv: string[], version: string, choose: (c: Chosen) => void): Argv {
  const width = Math.min(110, process.stdout.columns || 100);
  return yargs(argv)
    .scriptName('wasi-virt')
    .parserConfiguration({ 'populate--': true, 'boolean-negation': false, 'camel-case-expansion': false })
    .usage('Run or bundle a WebAssembly program that uses WASI under a virtualization policy.')
    .command(
      '$0 [app]',
      'Compose: write a runnable bundle of app.wasm that carries the policy (and the --mount snapshots). Without app, only the virtual host.',
      (y) => policyOptions(y, 'compose')
        .positional('app', { type: 'string', describe: 'A preview1 core module or a preview2 component' })
        .option('out', { alias: 'o', type: 'string', group: OTHER, describe: '--out DIR: where to write the bundle (required)' })
        .example('$0 app.wasm --mount /=./site --allow-stdio -o out/', 'embed ./site as the guest\'s /, print to the host\'s stdio')
        .epilog(DEFAULTS_TABLE),
      (a) => choose({ command: 'compose', argv: a }),
    )
    .command(
      'run <app> [args..]',
      'Run app.wasm now, like `wasmtime run`. Guest arguments follow the app; put them after -- when they start with -.',
      (y) => policyOptions(y, 'run')
        .positional('app', { type: 'string', describe: 'A preview1 core module, a preview2 component, or a module\'s .wat text' })
        .positional('args', { type: 'string', array: true, describe: 'Guest arguments (argv[1...])' })
        .example('$0 run --dir . app.wasm -- --verbose input.txt', 'the current directory as the guest\'s ".", read-write')
        .example('$0 run --mount /=./data --env HOME --deterministic app.wasm', 'a snapshot of ./data, host HOME, reproducible time and random')
        .example('$0 run --dir=. --mapdir=/tmp:/var/tmp demo.wasm in.txt /tmp/out.txt', 'wasmtime\'s spellings (--dir HOST[::GUEST], --mapdir GUEST:HOST, --env K=V)')
        .epilog(DEFAULTS_TABLE),
      (a) => choose({ command: 'run', argv: a }),
    )
    .command(
      'inspect <app>',
      'Show what app.wasm imports and what the policy does with each import.',
      (y) => policyOptions(y, 'any')
        .positional('app', { type: 'string', describe: 'A preview1 core module or a preview2 component' })
        .option('json', { type: 'boolean', group: OTHER, describe: 'Print JSON instead of a table' })
        .option('for', FOR)
        .epilog(DEFAULTS_TABLE),
      (a) => choose({ command: 'inspect', argv: a }),
    )
    .command(
      'policy',
      'Print the resolved Policy as JSON (reads no file but --config).',
      (y) => policyOptions(y, 'any')
        .option('for', FOR)
        .example('$0 policy --for run --allow-env=HOME --mount /=./x', 'the policy `run` would use')
        .epilog(DEFAULTS_TABLE),
      (a) => choose({ command: 'policy', argv: a }),
    )
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

/** A usage error yargs reported (unknown flag, missing positional, bad choice). */
export class YargsUsageError extends Error {
  readonly userFacing = true;
}
