/** The snapshot builder's progress line on stderr (Node only): see docs/snapshot-format.md. */
import { formatBytes } from '../util/format.js';

/**
 * Called as files are read (counts so far), and once more with `done` when the build
 * ends, whether it succeeded or failed (a live progress line must end before an error).
 */
export type ProgressCallback = (files: number, bytes: number, done?: boolean) => void;

export interface ProgressOptions {
  /** Where to print; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Print even when the stream is not a terminal (one line per second instead of a live line). */
  always?: boolean;
  /** Stay quiet for builds shorter than this; default 1000 ms. */
  delayMs?: number;
  /** Prefix of each line. */
  label?: string;
}

/**
 * A progress callback printing "files, bytes" for builds that take longer than
 * `delayMs`: a live line on a terminal, or (with `always`) a line per second elsewhere.
 */
export function progressReporter(options: ProgressOptions = {}): ProgressCallback {
  const stream = options.stream ?? process.stderr;
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  const enabled = tty || options.always === true;
  const delay = options.delayMs ?? 1000;
  const every = tty ? 100 : 1000;
  const label = options.label ? `wasi-virt: ${options.label}: ` : 'wasi-virt: snapshot: ';
  const start = performance.now();
  let last = -Infinity;
  let shown = false;
  return (files, bytes, done) => {
    if (!enabled) return;
    const now = performance.now();
    if (done ? !shown : now - start < delay || now - last < every) return;
    last = now;
    shown = true;
    const line = `${label}${files.toLocaleString('en-US')} files, ${formatBytes(bytes)}`;
    stream.write(tty ? `\r\x1b[K${line}${done ? '\n' : ''}` : `${line}\n`);
  };
}
