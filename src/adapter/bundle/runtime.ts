/**
 * The runtime behind a composed bundle (`out/<name>.js`). This file, the face the bundle
 * needs and what they import are built into one module (scripts/build-web.mjs) that compose
 * copies to `out/wasi-virt/runtime.js`; compose writes the manifest into the entry module,
 * and the entry hands it to `openBundle`. Everything is found relative to the entry, so a
 * bundle directory can be moved, copied or deployed as it is. The runtime it runs on
 * (Node, Deno, Bun, or a browser or worker) is chosen when it opens (host.ts); nothing here
 * imports a `node:` module.
 *
 * Snapshots are one binary file read on first use (one read, no parsing: each snapshot is
 * a view of it), never an inlined base64 string: a 100 MiB mount stays 100 MiB on disk,
 * costs one read of ~tens of ms, and is never decoded into a second copy. Where files can
 * only be fetched (a browser), the snapshot file is fetched when the bundle opens. An
 * `--inline` bundle carries its files as base64 in the manifest instead (`embedded`).
 */
import { ExitSignal } from '../kernel/exit.js';
import { Kernel, type KernelOptions, type InputSource, type OutputSink } from '../kernel/index.js';
import { BufferSource } from '../kernel/stdio.js';
import type { Platform } from '../kernel/platform.js';
import type { Preview1 } from '../preview1/index.js';
import type { ImportObject } from '../preview2/index.js';
import type { NetworkProvider } from '../preview2/network-types.js';
import { readSnapshotHeader } from '../../virtual-fs/snapshot.js';
import type { DirHandle } from '../../virtual-fs/handle.js';
import type { Policy } from '../../policy/types.js';
import type * as Preview1Face from './preview1-face.js';
import type * as Preview2Face from './preview2-face.js';
import type * as Preview3Face from './preview3-face.js';
import type { LoadedComponent3 } from './preview3-face.js';
import type { LoadedComponent } from '../preview2/component.js';
import { BUNDLE_FORMAT, type BundleManifest } from './manifest.js';
import { virtualizeEntries } from './mounts.js';
import { detectHost, type RuntimeHost } from './host.js';

/** What the caller of a bundle may set; the policy itself is fixed at compose time. */
export interface BundleOptions {
  /** The guest's arguments after its program name (appended to the policy's args, if it fixes some). */
  args?: string[];
  /** Guest stdin: a source, or the input itself. Default the process's fd 0 (when the policy allows stdin). */
  stdin?: InputSource | string | Uint8Array;
  /** Where guest stdout goes (e.g. a CaptureSink). Default the process's fd 1. */
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** Host variables the policy's env rule filters. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Embedder preopens (guest path to host directory); need `fs.host-preopens` in the policy. */
  preopens?: Record<string, string | DirHandle>;
  /** Trace every WASI call: true for stderr, or a function receiving each line. Default the policy's `debug`. */
  trace?: boolean | ((line: string) => void);
  /** Replace the runtime's platform (host directories, stdio, environment; see docs/browser.md). */
  platform?: Platform;
}

export interface Preview2ImportOptions extends BundleOptions {
  /** An existing host to serve (see createHost); by default a new one. */
  host?: Kernel;
  /** sockets / http implementation (see loadNetwork). Without one they fail as if unsupported. */
  network?: NetworkProvider;
}

export interface Preview1ImportOptions extends BundleOptions {
  host?: Kernel;
  /** `wasi_unstable` instead of `wasi_snapshot_preview1`. */
  version?: 'preview1' | 'unstable';
}

export interface BundleRunOptions extends BundleOptions {
  /** For components: the sockets / http implementation; default preview2-shim's, when needed. */
  network?: NetworkProvider;
}

/** The preview1 face of a host, for a core module instantiated elsewhere. */
export interface Preview1Binding extends Preview1 {
  readonly host: Kernel;
  /** Flush output and close host directories. */
  dispose(): void;
}

/**
 * The ABI faces a bundle was written with: a core module's bundle carries (and loads)
 * only preview1, a component's only preview2 (a WASI 0.3 component's only preview3, which
 * holds the 0.2 face such components also import), an adapter preview1 and preview2. Each
 * costs tens of ms of module loading at start-up, so a bundle pays only for its own.
 */
export interface Faces {
  preview1?: typeof Preview1Face;
  preview2?: typeof Preview2Face;
  preview3?: typeof Preview3Face;
}

/** A bundle that is damaged or incomplete (a file removed or replaced after compose). */
export class BundleError extends Error {
  readonly userFacing = true;
  override name = 'BundleError';
}

export class Bundle {
  readonly policy: Policy;
  /** Every snapshot by the policy path of its mount, read from disk on first access. */
  readonly snapshots: Readonly<Record<string, Uint8Array>>;
  private snapshotFile: Uint8Array | undefined;
  private module: Promise<WebAssembly.Module> | undefined;
  private component: Promise<LoadedComponent> | undefined;
  private component3: Promise<LoadedComponent3> | undefined;

  constructor(
    readonly base: URL,
    readonly manifest: BundleManifest,
    private readonly faces: Faces,
    readonly host: RuntimeHost,
    /** The entry module (`out/<name>.js`): a run under limits.timeout-ms loads it in a worker. */
    private readonly entry?: URL,
  ) {
    if (manifest.format !== BUNDLE_FORMAT) {
      throw new BundleError(`${manifest.name}: bundle format ${manifest.format} is not the one this runtime reads (${BUNDLE_FORMAT})`);
    }
    this.policy = deepFreeze(manifest.policy);
    const snapshots: Record<string, Uint8Array> = {};
    for (const e of manifest.snapshots?.entries ?? []) {
      Object.defineProperty(snapshots, e.key, { enumerable: true, get: () => this.snapshot(e.key) });
    }
    this.snapshots = Object.freeze(snapshots);
  }

  /** A virtual host for this policy, with the bundle's snapshots. */
  createHost(options: BundleOptions = {}): Kernel {
    return new Kernel(this.hostOptions(options));
  }

  private hostOptions(options: BundleOptions): KernelOptions {
    const debug = this.policy.debug === true;
    const args = (options.args ?? []).map(String);
    const { stdin, stdout, stderr, env, preopens } = options;
    const hostOptions: KernelOptions = {
      policy: this.policy,
      args: [this.manifest.program, ...args],
      platform: options.platform ?? this.host.platform(),
      snapshots: this.allSnapshots(),
      trace: options.trace ?? debug,
    };
    if (stdout) hostOptions.stdout = stdout;
    if (stderr) hostOptions.stderr = stderr;
    if (env) hostOptions.env = env;
    if (preopens) hostOptions.preopens = preopens;
    if (stdin !== undefined) hostOptions.stdin = typeof stdin === 'string' || stdin instanceof Uint8Array ? new BufferSource(stdin) : stdin;
    return hostOptions;
  }

  /**
   * The preview1 face for a core module you instantiate yourself: pass `.imports` to
   * WebAssembly.instantiate, then `.start(instance)` (returns the exit code) or
   * `.initialize(instance)`, and `.dispose()` when done.
   */
  preview1Imports(options: Preview1ImportOptions = {}): Preview1Binding {
    const face = this.face('preview1');
    const host = options.host ?? this.createHost(options);
    const p1 = face.createPreview1(host, { version: options.version ?? 'preview1' });
    return Object.assign(p1, { host, dispose: () => host.dispose() });
  }

  /** A jco import object (instantiation mode, `instantiate(getCoreModule, imports)`) over this policy. */
  preview2Imports(options: Preview2ImportOptions = {}): ImportObject {
    const face = this.face('preview2');
    return face.createPreview2(options.host ?? this.createHost(options), { network: options.network });
  }

  /** preview2-shim's Node sockets / http, for preview2Imports({ network }). */
  loadNetwork(want: { sockets?: boolean; http?: boolean } = { sockets: true, http: true }): Promise<NetworkProvider> {
    return this.face('preview2').loadShim({ sockets: want.sockets ?? false, http: want.http ?? false });
  }

  /**
   * Run the bundled app to completion: `{ code }` is its exit code. A trap (or a policy
   * trap) rejects. `args` are the guest's argv after its program name. Under
   * `limits.timeout-ms` the run happens in a worker thread (see timed.ts), and a guest
   * still running at the limit is stopped with a LimitTrap.
   */
  async run(args: string[] = [], options: BundleRunOptions = {}): Promise<{ code: number }> {
    const timeout = this.policy.limits?.['timeout-ms'];
    if (timeout !== undefined && this.entry && this.host.name === 'node') {
      const { runTimed } = await import('./timed.js');
      return runTimed(this.entry, args, options, timeout);
    }
    return this.runHere(args, options);
  }

  /** `run` in this thread, whatever the policy's timeout; `started` is called as the guest starts. */
  async runHere(args: string[], options: BundleRunOptions, started: () => void = () => {}): Promise<{ code: number }> {
    const app = this.manifest.app;
    if (!app) throw new BundleError(`${this.manifest.name} is an adapter without an app; use createHost, preview1Imports or preview2Imports`);
    const withArgs = { ...options, args };
    if (app.kind === 'module') {
      const face = this.face('preview1');
      this.module ??= this.compile(app.file);
      const module = await this.module;
      started();
      return face.runModule(module, this.hostOptions(withArgs));
    }
    if (app.abi === 'preview3') {
      const face = this.face('preview3');
      face.requireJspi();
      this.component3 ??= face.loadBundled3(this.base, app, (file) => this.read(file), this.manifest.embedded);
      const loaded = await this.component3;
      const host = this.createHost(withArgs);
      started();
      try {
        const exports = await face.instantiate3(loaded, app, host, this.host.name);
        return { code: await face.runToCompletion3(exports) };
      } finally {
        host.dispose();
      }
    }
    const face = this.face('preview2');
    this.component ??= face.loadBundled(this.base, app, (file) => this.read(file), this.manifest.embedded);
    const loaded = await this.component;
    const host = this.createHost(withArgs);
    started();
    try {
      const exports = await face.instantiate(loaded, app, host, options.network, this.host.name);
      return { code: face.runToCompletion(exports) };
    } finally {
      host.dispose();
    }
  }

  /** Whether the entry at `url` is the program the runtime was started with (for runtimes without import.meta.main). */
  isMain(url: string, main?: boolean): boolean {
    return this.host.isMain(url, main);
  }

  /** `node out/<name>.js [args]` (or deno, bun): run with the process's arguments and set its exit status. */
  async main(): Promise<void> {
    if (!this.host.main) throw new BundleError(`${this.manifest.name} cannot run as a program here; import it and call run()`);
    const app = this.manifest.app;
    const end = app?.kind === 'component' && app.abi === 'preview3';
    await this.host.main(this.manifest.name, this.policy.debug === true, (args) => this.run(args), end);
  }

  /** Fetch what the snapshots need up front where files cannot be read synchronously. */
  async ready(): Promise<void> {
    const s = this.manifest.snapshots;
    if (s && !this.snapshotFile && !this.host.readSync && !this.manifest.embedded?.[s.file]) {
      try {
        this.snapshotFile = await this.host.read(new URL(s.file, this.base));
      } catch (err) {
        throw new BundleError(`cannot read its snapshots (${s.file}: ${(err as { code?: string }).code ?? err})`);
      }
    }
  }

  /** A file of the bundle: embedded in the entry, or beside it. */
  private async read(file: string): Promise<Uint8Array> {
    const embedded = this.manifest.embedded?.[file];
    if (embedded !== undefined) return fromBase64(embedded);
    try {
      return await this.host.read(new URL(file, this.base));
    } catch (e) {
      throw new BundleError(`cannot read ${file} beside it (${(e as { code?: string }).code ?? e})`);
    }
  }

  private face<K extends keyof Faces>(name: K): NonNullable<Faces[K]> {
    const f = this.faces[name];
    if (!f) throw new BundleError(`${this.manifest.name} was composed without the ${name} face (it serves ${this.serves()}); compose without the app for an adapter with preview1 and preview2`);
    return f as NonNullable<Faces[K]>;
  }

  /** What this bundle's face serves, for a message. */
  private serves(): string {
    const app = this.manifest.app;
    if (!app) return 'core modules and 0.2 components';
    return app.kind === 'module' ? 'a core module' : app.abi === 'preview3' ? 'a WASI 0.3 component' : 'a component';
  }

  private async compile(file: string): Promise<WebAssembly.Module> {
    return WebAssembly.compile(await this.read(file) as Uint8Array<ArrayBuffer>);
  }

  private allSnapshots(): Record<string, Uint8Array> {
    const out: Record<string, Uint8Array> = {};
    for (const e of this.manifest.snapshots?.entries ?? []) out[e.key] = this.snapshot(e.key);
    for (const { key } of virtualizeEntries(this.policy)) {
      if (!out[key]) throw new BundleError(`the bundle holds no snapshot for mount "${key}"; compose it again`);
    }
    return out;
  }

  private snapshot(key: string): Uint8Array {
    const s = this.manifest.snapshots!;
    const e = s.entries.find((x) => x.key === key)!;
    if (!this.snapshotFile) {
      const embedded = this.manifest.embedded?.[s.file];
      try {
        this.snapshotFile = embedded !== undefined ? fromBase64(embedded) : this.host.readSync!(new URL(s.file, this.base));
      } catch (err) {
        throw new BundleError(`cannot read its snapshots (${s.file}: ${(err as { code?: string }).code ?? err})`);
      }
    }
    const file = this.snapshotFile;
    if (e.offset + e.length > file.byteLength) throw new BundleError(`${s.file} is truncated`);
    const bytes = file.subarray(e.offset, e.offset + e.length);
    // The header check is O(1); it catches a snapshot file from another compose.
    let hash: string;
    try {
      hash = readSnapshotHeader(bytes).hash;
    } catch (err) {
      throw new BundleError(`snapshot of "${key}" in ${s.file} is damaged (${(err as Error).message})`);
    }
    if (hash !== e.hash) throw new BundleError(`${s.file} does not belong to this bundle (snapshot of "${key}" has another hash)`);
    return bytes;
  }
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** base64 to bytes (Uint8Array.fromBase64 where the runtime has it). */
function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The bundle an entry module describes, on the runtime it finds itself in. */
export async function openBundle(entryUrl: string, manifest: BundleManifest, faces: Faces = {}, host?: RuntimeHost): Promise<Bundle> {
  const bundle = new Bundle(new URL('.', entryUrl), manifest, faces, host ?? await detectHost(), new URL(entryUrl));
  await bundle.ready();
  // The worker of a timed run (timed.ts) loads the entry: this is where it starts serving.
  if (bundle.host.inWorker?.()) (await import('./timed.js')).serveTimed(bundle);
  return bundle;
}

export { ExitSignal };
export { CaptureSink, BufferSource } from '../kernel/stdio.js';
export { GuestTrap, LimitTrap, PolicyTrap } from '../kernel/traps.js';
