/**
 * Permission tests as root: root reads a mode-000 file anyway (CAP_DAC_OVERRIDE), and CI
 * runs as root, so a test of EACCES must take another identity (`nobody`) or it tests
 * nothing. Vitest runs each test file in its own process (pool: forks), so a seteuid in
 * one file never leaks into another.
 */
const NOBODY = 65534;
const root = process.geteuid?.() === 0;

/** Run `f` with effective uid and gid `nobody` when we are root (undone afterwards). */
export function asUnprivileged<T>(f: () => T): T {
  if (!root) return f();
  process.setegid!(NOBODY);
  process.seteuid!(NOBODY);
  try {
    return f();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}

/** Spawn options that run a child as `nobody` when we are root (none otherwise). */
export function unprivilegedChild(): { uid?: number; gid?: number } {
  return root ? { uid: NOBODY, gid: NOBODY } : {};
}
