/**
 * The traps the host raises on a guest's behalf. Each is a `WebAssembly.RuntimeError`, as a
 * trap inside wasm code is, so an embedder tells "the guest trapped" from "the host failed"
 * with one `instanceof WebAssembly.RuntimeError`, and ours apart from the engine's with
 * `instanceof GuestTrap`. The kind of trap is its class, never its `name`.
 */

/** A request from the guest with no error channel and no meaning (proc_raise of a fatal signal, proc_exit(256)). */
export class GuestTrap extends WebAssembly.RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The policy refused something that has no error channel (exit denied, a denied interface's constructor). */
export class PolicyTrap extends GuestTrap {}

/** Which resource limit a guest ran into (the policy's `limits` keys). */
export type LimitName = 'memory-bytes' | 'timeout-ms';

/** The guest went over a resource limit that can only end it (linear memory, run time). */
export class LimitTrap extends GuestTrap {
  constructor(readonly limit: LimitName, message: string) {
    super(message);
  }
}
