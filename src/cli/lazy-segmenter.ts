/**
 * yargs' layout helpers (string-width, three copies of it via cliui and wrap-ansi) each
 * make an `Intl.Segmenter` when their module loads. The first one loads ICU's break
 * data: the largest single cost of a `wasi-virt run` once the help layout is skipped
 * (CPU profile: 60-150 ms of a ~0.5-1 s run on this machine), for help text that is
 * only laid out when asked for. While the CLI's own modules load, `Intl.Segmenter` is a
 * class that makes the real segmenter on first use; the real class is put back as soon
 * as loading is done, so nothing made later (or by a guest's host code) sees the
 * stand-in. tests/cli/help.test.ts lays out every command's help through it.
 */
type SegmenterArgs = ConstructorParameters<typeof Intl.Segmenter>;

/** Run `load` with a lazy Intl.Segmenter in place; the real class is back when it settles. */
export async function withLazySegmenter<T>(load: () => Promise<T>): Promise<T> {
  const Real = Intl.Segmenter;
  if (typeof Real !== 'function') return load();
  class LazySegmenter {
    #args: SegmenterArgs;
    #real: Intl.Segmenter | undefined;
    constructor(...args: SegmenterArgs) {
      this.#args = args;
    }
    #get(): Intl.Segmenter {
      this.#real ??= new Real(...this.#args);
      return this.#real;
    }
    segment(input: string): Intl.Segments {
      return this.#get().segment(input);
    }
    resolvedOptions(): Intl.ResolvedSegmenterOptions {
      return this.#get().resolvedOptions();
    }
  }
  Object.defineProperty(Intl, 'Segmenter', { value: LazySegmenter, writable: true, configurable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(Intl, 'Segmenter', { value: Real, writable: true, configurable: true });
  }
}
