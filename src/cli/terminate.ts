/**
 * End the Node process with `code`. The one place outside main.ts that may: a guest never
 * ends the host on its own, but an embedder who builds `new WASI({ returnOnExit: false })`
 * asked for node:wasi's behaviour, where the guest's proc_exit ends the process. Output
 * the guest wrote is flushed by the caller first.
 */
export function terminate(code: number): never {
  process.exit(code);
}
