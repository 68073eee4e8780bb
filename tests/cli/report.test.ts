/** How main reports a failure: user-facing ones as one line with status 2, internal ones with a hint. */
import { describe, expect, it } from 'vitest';
import { report } from '../../src/cli/program.js';
import { CliError, INTERNAL_EXIT, USAGE_EXIT } from '../../src/cli/errors.js';
import { PolicyError, PolicyFileError } from '../../src/policy/errors.js';
import { FsSetupError } from '../../src/adapter/kernel/fs.js';

function captured(e: unknown, debug = false): { status: number; lines: string[] } {
  let out = '';
  const status = report(e, debug, (t) => {
    out += t;
  });
  return { status, lines: out.split('\n').slice(0, -1) };
}

class CommandError extends Error {
  readonly userFacing = true;
}

describe('report', () => {
  it('prints user-facing errors as one line and returns 2', () => {
    const cases: [unknown, string][] = [
      [new CliError('--stdio expects allow, ignore or deny, got "x"'), 'wasi-virt: error: --stdio expects allow, ignore or deny, got "x"'],
      [new PolicyError(['stdio', 'stdout'], 'expected "allow"'), 'wasi-virt: error: stdio.stdout: expected "allow"'],
      [new PolicyFileError('p.toml', 3, 'exit: expected "allow" or "deny"'), 'wasi-virt: error: p.toml:3: exit: expected "allow" or "deny"'],
      [new CommandError('bundle dir "out" is a file'), 'wasi-virt: error: bundle dir "out" is a file'],
      [new FsSetupError('"/" needs a host file system'), 'wasi-virt: error: "/" needs a host file system'],
      [new CliError('first\n  second'), 'wasi-virt: error: first second'],
    ];
    for (const [e, line] of cases) {
      expect(captured(e)).toEqual({ status: USAGE_EXIT, lines: [line] });
      expect(captured(e, true)).toEqual({ status: USAGE_EXIT, lines: [line] });
    }
  });

  it('prints an internal error as one line with a hint, or its stack with --debug', () => {
    expect(captured(new TypeError('x is not a function'))).toEqual({
      status: INTERNAL_EXIT,
      lines: ['wasi-virt: internal error: x is not a function (run with --debug for the stack trace)'],
    });
    expect(captured('thrown string')).toEqual({
      status: INTERNAL_EXIT,
      lines: ['wasi-virt: internal error: thrown string (run with --debug for the stack trace)'],
    });
    const withStack = captured(new TypeError('boom'), true);
    expect(withStack.status).toBe(INTERNAL_EXIT);
    expect(withStack.lines[0]).toBe('wasi-virt: internal error: TypeError: boom');
    expect(withStack.lines.length).toBeGreaterThan(1);
    expect(withStack.lines[1]).toMatch(/^\s+at /);
  });
});
