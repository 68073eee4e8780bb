/**
 * The platform of a browser or worker (and any runtime without `node:` modules): no host
 * file system (a policy that needs one fails to start with one line, src/adapter/kernel/fs.ts),
 * no host environment, no stdin unless the caller passes one, and guest output through the
 * sinks the caller passes, by default line-buffered `console.log` / `console.error`. Clocks
 * come from `performance.now()` (good to about a microsecond, so resolution says 1000 ns) and
 * random from `crypto.getRandomValues`, both in the kernel (src/adapter/kernel/clocks.ts,
 * random.ts), since every runtime has them.
 */
import type { Platform } from '../kernel/platform.js';
import type { OutputSink } from '../kernel/stdio.js';

/**
 * Guest output as console lines: a line goes out when its newline arrives, what is left
 * when the guest flushes or exits goes out as it is (a console has no partial lines).
 */
export class ConsoleSink implements OutputSink {
  private readonly decoder = new TextDecoder();
  private pending = '';
  constructor(private readonly log: (line: string) => void) {}
  write(bytes: Uint8Array): void {
    const text = this.pending + this.decoder.decode(bytes, { stream: true });
    const lines = text.split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) this.log(line);
  }
  flush(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest !== '') this.log(rest);
  }
}

export function webPlatform(): Platform {
  return {
    name: 'web',
    hostEnv: () => ({}),
    stdout: () => new ConsoleSink((line) => console.log(line)),
    stderr: () => new ConsoleSink((line) => console.error(line)),
  };
}
