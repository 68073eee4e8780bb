/**
 * End the Node process with `code`: the one place outside src/cli that may. A guest
 * never ends the host on its own, but an embedder who builds `new WASI({ returnOnExit:
 * false })` asked for node:wasi's behaviour, where the guest's proc_exit ends the process
 * (uvwasi calls exit(3) from C). It lives with the Node adapter, not the CLI, so the
 * library never imports the CLI. Output the guest wrote is flushed by the caller first.
 */
export function terminate(code: number): never {
  process.exit(code);
}
