/**
 * Confined host file systems (Node only): `--preopen /guest=/host[:ro]` and policy
 * `runtime-dir` / `runtime-file` entries. See docs/confinement.md for the algorithm and
 * its guarantees.
 */
export { HostDir, HostPathError, openHostDir } from './host-dir.js';
export { openHostFile } from './file-mount.js';
