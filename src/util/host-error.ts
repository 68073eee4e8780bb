/**
 * A failed host call in a one-line message: the words a person reads for a permission
 * problem, else the system code (ENOENT, EISDIR ...), else the error's message.
 */
export function hostReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return typeof code === 'string' ? code : String((e as Error | null)?.message ?? e);
}
