/**
 * The virtual host ("kernel"): everything a guest can observe, built once from a Policy
 * and shared by both ABI faces. The faces translate calls into operations on this and
 * on the handles it hands out; all semantics (env filtering, stdio modes, clocks,
 * random, exit, the mount table, confinement) live here or below, never in a face.
 */
import type { Policy } from '../../policy/types.js';
import { validatePolicy } from '../../policy/validate.js';
import type { DirHandle } from '../../virtual-fs/handle.js';
import { clocksFor, type Clocks } from './clocks.js';
import { resolveEnv } from './env.js';
import { exitWith } from './exit.js';
import { buildGuestFs, cwdProblem, FsSetupError, type GuestFs } from './fs.js';
import { NEUTRAL_PLATFORM, type Platform } from './platform.js';
import { Limits } from './limits.js';
import { randomFor, type RandomSource } from './random.js';
import { StdinHandle, StdoutHandle, type InputSource, type OutputSink } from './stdio.js';

export interface KernelOptions {
  /**
   * What the guest may do, in any spelling the validator accepts (WASI-Virt booleans
   * included). Default `{}`: nothing virtualized, every subsystem passes through.
   */
  policy?: Policy;
  /**
   * The caller's argv, program name first. A policy's `args` replaces the program name
   * and comes before the rest: argv = policy.args ++ args[1..] (one rule for run, bundles
   * and the API; nothing the caller passes is dropped).
   */
  args?: string[];
  /** Host variables the env rule filters; default the platform's (none on a neutral platform). */
  env?: Record<string, string | undefined>;
  stdin?: InputSource;
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** Embedder preopens, node:wasi style (guest name to host path); need fs passthrough. */
  preopens?: Record<string, string | DirHandle>;
  /** Prebuilt snapshots keyed by the policy path of their `virtualize` entry. */
  snapshots?: Record<string, Uint8Array>;
  platform?: Platform;
  /** Receives one line per traced call when the policy (or this option) asks for tracing. */
  trace?: ((line: string) => void) | boolean;
}

export class Kernel {
  /** The policy in canonical form (validated once, here: every entry point builds a Kernel). */
  readonly policy: Policy;
  readonly args: string[];
  readonly env: [string, string][];
  readonly cwd: string | undefined;
  readonly clocks: Clocks;
  readonly random: RandomSource;
  readonly stdin: StdinHandle;
  readonly stdout: StdoutHandle;
  readonly stderr: StdoutHandle;
  readonly fs: GuestFs;
  /** The policy's resource limits, enforced here for both faces. */
  readonly limits: Limits;
  /** Set when tracing: where trace lines go. */
  readonly trace: ((line: string) => void) | undefined;
  private readonly disposers: (() => void)[] = [];

  constructor(options: KernelOptions) {
    const platform = options.platform ?? NEUTRAL_PLATFORM;
    const policy = validatePolicy(options.policy ?? {});
    this.policy = policy;
    this.args = policy.args ? [...policy.args, ...(options.args ?? []).slice(1)] : options.args ?? ['main.wasm'];
    // A policy that lets no host variable through never reads them (Deno asks permission to).
    this.env = resolveEnv(policy.env, options.env ?? (policy.env?.host === 'none' ? {} : platform.hostEnv?.()) ?? {});
    this.cwd = policy.cwd;
    this.clocks = clocksFor(policy.clocks, platform.hrtime);
    this.random = randomFor(policy.random);
    this.limits = new Limits(policy.limits);
    const stdio = policy.stdio ?? { stdin: 'allow', stdout: 'allow', stderr: 'allow' };
    this.stdin = new StdinHandle(stdio.stdin, options.stdin ?? (stdio.stdin === 'allow' ? platform.stdin?.() : undefined));
    this.stdout = new StdoutHandle('stdout', stdio.stdout, options.stdout ?? (stdio.stdout === 'allow' ? platform.stdout?.() : undefined), this.limits.stdout);
    this.stderr = new StdoutHandle('stderr', stdio.stderr, options.stderr ?? (stdio.stderr === 'allow' ? platform.stderr?.() : undefined), this.limits.stderr);
    this.fs = buildGuestFs({
      policy: policy.fs, hostPreopens: options.preopens, snapshots: options.snapshots, platform, writeQuota: this.limits.hostWrites,
    });
    this.limits.preopened(this.fs.preopens.length);
    // An initial-cwd names a place: where the policy lays out the file system, it must be
    // a directory there (an embedder's own preopens are the embedder's business).
    const badCwd = policy.cwd !== undefined && Object.keys(policy.fs?.preopens ?? {}).length > 0 ? cwdProblem(this.fs, policy.cwd) : undefined;
    if (badCwd !== undefined) {
      this.fs.destroy();
      throw new FsSetupError(badCwd);
    }
    const wantTrace = options.trace ?? policy.debug ?? false;
    // Traces are for the person running the guest, so they reach the host's stderr even
    // when the policy denies or ignores the guest's own stderr.
    const traceSink = options.stderr ?? platform.stderr?.();
    this.trace = typeof wantTrace === 'function' ? wantTrace
      : wantTrace && traceSink ? (line: string) => this.traceLine(traceSink, line) : undefined;
  }

  /** The guest asked to exit: throws ExitSignal (or a PolicyTrap when exit is denied). */
  exit(code: number): never {
    this.flush();
    return exitWith(this.policy.exit, code);
  }

  /** Network access (sockets / http) as the policy resolves it; untouched means allowed. */
  allows(subsystem: 'sockets' | 'http'): boolean {
    return this.policy[subsystem] !== 'deny';
  }

  /** Deliver everything the guest wrote. */
  flush(): void {
    this.stdout.sync();
    this.stderr.sync();
  }

  /** Run `f` in dispose(), before the host's own handles close: a face closing what its guest left open. */
  onDispose(f: () => void): void {
    this.disposers.push(f);
  }

  /** Flush output and close every host resource the host or its faces opened. */
  dispose(): void {
    this.flush();
    for (const f of this.disposers.splice(0)) f();
    this.limits.closeOpenFiles();
    this.fs.destroy();
  }

  private traceLine(sink: OutputSink, line: string): void {
    this.stdout.sync();
    sink.write(new TextEncoder().encode(`[wasi-virt] ${line}\n`));
    sink.flush();
  }
}

export { ExitSignal } from './exit.js';
export { GuestTrap, LimitTrap, PolicyTrap, type LimitName } from './traps.js';
export { CaptureSink, BufferSource, type InputSource, type OutputSink } from './stdio.js';
export type { Platform } from './platform.js';
