#!/usr/bin/env node
// STUB (branch p1surface): a minimal `run` front end so the preview1 runner can be driven
// and tested before the yargs CLI (branch `policy`) lands; drop this at merge time.
// Understands: run <file> [--debug] [--mount G=H] [--preopen G=H[:ro]] [--env K=V]
// [--allow-env[=A,B]] [--] [args...].
import type { FsEntry, Policy } from '../policy/types.js';
import { runCommand } from './run.js';

async function main(argv: string[]): Promise<number> {
  if (argv[0] !== 'run' || !argv[1]) {
    process.stderr.write('wasi-virt: usage: wasi-virt run <file.wasm> [flags] [-- args]\n');
    return 2;
  }
  const file = argv[1];
  const policy: Policy = { env: { host: 'none', overrides: [] }, fs: { 'host-preopens': false, preopens: {} } };
  const preopens: Record<string, FsEntry> = {};
  const guestArgs: string[] = [];
  let debug = false;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (a === '--') { guestArgs.push(...argv.slice(i + 1)); break; }
    if (flag === '--debug') debug = true;
    else if (flag === '--mount' || flag === '--preopen') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 1) throw new Error(`${flag} ${v}: expected GUEST=HOST`);
      let host = v.slice(eq + 1);
      const ro = flag === '--preopen' && host.endsWith(':ro');
      if (ro) host = host.slice(0, -3);
      preopens[v.slice(0, eq)] = flag === '--mount' ? { virtualize: host } : { 'runtime-dir': { path: host, readonly: ro } };
    } else if (flag === '--env') {
      const v = value();
      const eq = v.indexOf('=');
      policy.env!.overrides.push(eq < 0 ? [v, process.env[v] ?? ''] : [v.slice(0, eq), v.slice(eq + 1)]);
    } else if (flag === '--allow-env') {
      policy.env!.host = inline === undefined ? 'all' : { allow: inline.split(',').filter(Boolean) };
    } else if (a.startsWith('-')) throw new Error(`unknown flag ${a}`);
    else guestArgs.push(a);
  }
  policy.fs!.preopens = preopens;
  return runCommand({ file, policy, guestArgs, debug });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`wasi-virt: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
