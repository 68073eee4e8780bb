/**
 * wasi:cli: environment, exit, stdio streams and terminals, all answered by the kernel.
 * Each get-stdin/-stdout/-stderr call returns a fresh stream over the kernel's pinned
 * stdio handle, so a guest dropping one never closes the host's stdio or another handle.
 */
import { StdinReader, StdioWriter } from './io.js';
import type { Ctx, Namespace } from './context.js';

/** A terminal (wasi:cli/terminal-input); it has no methods in WASI 0.2. */
export class TerminalInput {}
export class TerminalOutput {}

export function createCli(ctx: Ctx): Record<string, Namespace> {
  const { kernel, cls } = ctx;
  return {
    'wasi:cli/environment': {
      getEnvironment: (): [string, string][] => kernel.env.map(([k, v]) => [k, v]),
      getArguments: (): string[] => kernel.args.slice(),
      initialCwd: (): string | undefined => kernel.cwd,
    },
    'wasi:cli/exit': {
      exit: (status: { tag: 'ok' | 'err' }): never => kernel.exit(status.tag === 'ok' ? 0 : 1),
      exitWithCode: (code: number): never => kernel.exit(code),
    },
    'wasi:cli/stdin': { getStdin: () => new cls.InputStream(new StdinReader(ctx, kernel.stdin)) },
    'wasi:cli/stdout': { getStdout: () => new cls.OutputStream(new StdioWriter(ctx, 'stdout', kernel.stdout)) },
    'wasi:cli/stderr': { getStderr: () => new cls.OutputStream(new StdioWriter(ctx, 'stderr', kernel.stderr)) },
    'wasi:cli/terminal-input': { TerminalInput: cls.TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput: cls.TerminalOutput },
    'wasi:cli/terminal-stdin': {
      getTerminalStdin: () => (kernel.stdin.isTerminal() ? new cls.TerminalInput() : undefined),
    },
    'wasi:cli/terminal-stdout': {
      getTerminalStdout: () => (kernel.stdout.isTerminal() ? new cls.TerminalOutput() : undefined),
    },
    'wasi:cli/terminal-stderr': {
      getTerminalStderr: () => (kernel.stderr.isTerminal() ? new cls.TerminalOutput() : undefined),
    },
  };
}
