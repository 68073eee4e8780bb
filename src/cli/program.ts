/**
 * The `wasi-virt` command: parse, resolve the policy, check the host paths the command
 * will read, and hand over to the command. Every error a user can fix is one stderr line
 * and exit status 2. `main` returns the exit status instead of exiting (src/cli/main.ts
 * sets it), so stdout is flushed before Node exits.
 */
import { readFileSync, statSync } from 'node:fs';
import { isUserFacing, oneLine, CliError, INTERNAL_EXIT, USAGE_EXIT } from './errors.js';
import { prepareArgv, toCliFlags, usageMessage } from './argv.js';
import { buildCli, YargsUsageError, type Chosen } from './options.js';
import { checkWords } from './unknown-words.js';
import { policyFromFlags, type CommandMode } from './flags.js';
import { checkAppFile, checkMountSources } from './check-sources.js';
import type { Policy } from '../policy/types.js';
import { FsSetupError } from '../adapter/kernel/fs.js';

/** For the worker of `run --timeout`, which loads this same script (run-worker.ts). */
export const runTimedJob: typeof import('./timed-job.js').runTimedJob = async (job, started) =>
  (await import('./timed-job.js')).runTimedJob(job, started);

export async function main(raw: readonly string[]): Promise<number> {
  const dashdash = raw.indexOf('--');
  const debug = (dashdash < 0 ? raw : raw.slice(0, dashdash)).includes('--debug');
  try {
    checkWords(raw);
    let chosen: Chosen | undefined;
    const cli = buildCli(prepareArgv(raw), version(), (c) => {
      chosen = c;
    });
    await cli.parseAsync();
    if (!chosen) return 0; // --help or --version
    return await dispatch(chosen);
  } catch (e) {
    if (e instanceof YargsUsageError) return report(new CliError(usageMessage(e.message, raw)), debug);
    return report(e, debug);
  }
}

async function dispatch({ command, argv }: Chosen): Promise<number> {
  const flags = toCliFlags(argv);
  const app = argv.app === undefined ? undefined : String(argv.app);
  const configFile = lastString(argv.config);
  if (configFile === '') throw new CliError('--config expects a policy file (.toml or .json)');
  // The TOML and JSON parsers load only when a file is given.
  const config = configFile === undefined ? undefined : (await import('../policy/load.js')).loadPolicyFileSync(configFile);
  const guestArgs = [...((argv.args as unknown[] | undefined) ?? []), ...((argv['--'] as unknown[] | undefined) ?? [])].map(String);
  const resolve = (mode: CommandMode): Policy => policyFromFlags(flags, { mode, config });

  switch (command) {
    case 'policy': {
      const policy = resolve(forMode(argv));
      process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
      return 0;
    }
    case 'compose': {
      if (guestArgs.length > 0) throw new CliError('compose takes no guest arguments; set "args" in a --config policy file');
      const out = lastString(argv.out);
      if (!out) throw new CliError('compose needs -o/--out DIR (see wasi-virt --help)');
      if (/\.wasm$/i.test(out) && !isDirectory(out)) {
        throw new CliError(`-o "${out}": -o names the directory the bundle is written into (an entry .js, the app, its snapshots), not a .wasm file; give a directory, e.g. -o ${out.replace(/\.wasm$/i, '')}/`);
      }
      const policy = resolve('compose');
      if (app !== undefined) checkAppFile(app);
      checkMountSources(policy);
      const { composeCommand } = await import('./compose.js');
      return composeCommand({ file: app, policy, out, debug: flags.debug ?? false, inline: lastString(argv.inline) === 'true' });
    }
    case 'run': {
      const policy = resolve('run');
      checkAppFile(app!);
      checkMountSources(policy, { runtime: true });
      const { runCommand } = await import('./run.js');
      return runCommand({ file: app!, policy, guestArgs, debug: flags.debug ?? false });
    }
    case 'inspect': {
      const policy = resolve(forMode(argv));
      checkAppFile(app!);
      checkMountSources(policy);
      const { inspectCommand } = await import('./inspect.js');
      return inspectCommand({ file: app!, policy, json: argv.json === true });
    }
  }
}

function forMode(argv: Record<string, unknown>): CommandMode {
  return lastString(argv.for) === 'run' ? 'run' : 'compose';
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function lastString(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return x === undefined ? undefined : String(x);
}

/** Print a failure as wasi-virt's one line (a stack only with --debug) and give its exit status. */
export function report(e: unknown, debug: boolean, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (isUserFacing(e) || e instanceof FsSetupError) {
    write(`wasi-virt: error: ${oneLine(e.message)}\n`);
    return USAGE_EXIT;
  }
  if (debug && e instanceof Error && e.stack) {
    write(`wasi-virt: internal error: ${e.stack}\n`);
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    write(`wasi-virt: internal error: ${oneLine(msg)} (run with --debug for the stack trace)\n`);
  }
  return INTERNAL_EXIT;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
