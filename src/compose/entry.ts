/**
 * The entry module of a bundle (`out/<name>.js`) and its type declarations. The manifest
 * is written into the module as a literal, so loading a bundle reads no extra file;
 * snapshots stay in their binary file until first used.
 */
import type { BundleManifest } from '../adapter/bundle/manifest.js';
import { RUNTIME_ENTRY, type Face } from './runtime-files.js';

/** Where the runtime goes inside out/. */
export const RUNTIME_DIR = 'wasi-virt';

/**
 * The runtime module the entry imports: the bundle runtime and its faces as one module
 * (dist/runtime/<kind>.js, built by scripts/build-web.mjs), exporting `openBundle`, `faces`
 * and the classes the entry re-exports. One file, not the tree of modules tsc wrote: a
 * bundle starts faster and ships less (BENCHMARKS.md, "Bundles on every engine").
 */
export const RUNTIME_MODULE = 'runtime.js';

/** The faces a bundle carries: its app's, or both for an adapter. */
export function facesOf(app: BundleManifest['app']): Face[] {
  if (!app) return ['preview1', 'preview2'];
  if (app.kind === 'module') return ['preview1'];
  return app.abi === 'preview3' ? ['preview3'] : ['preview2'];
}

/** Which prebuilt runtime (dist/runtime/<kind>.js, dist/inline/<kind>.js) a bundle of `app` takes. */
export function runtimeKind(app: BundleManifest['app']): 'module' | 'component' | 'component3' | 'adapter' {
  if (!app) return 'adapter';
  if (app.kind === 'module') return 'module';
  return app.abi === 'preview3' ? 'component3' : 'component';
}

/**
 * `manifestSource`: an expression to stand for the manifest instead of its JSON (the
 * `--inline` runtimes are built once from this same text with a placeholder there).
 */
export function entryModule(manifest: BundleManifest, manifestSource = JSON.stringify(manifest, null, 2)): string {
  const runtime = `./${RUNTIME_DIR}/${RUNTIME_MODULE}`;
  const app = manifest.app;
  const faces = facesOf(app);
  const p1 = faces.includes('preview1');
  const p2 = faces.includes('preview2');
  const lines = [
    `// ${manifest.name}.js, written by wasi-virt ${manifest.wasiVirt} (docs/compose.md).`,
    app
      ? `// \`node ${manifest.name}.js [args]\` (or deno run, bun) runs ${manifest.program} under the policy below; \`import { run } from './${manifest.name}.js'\` runs it from other code, a page or a worker.`
      : '// The virtual adapter: the policy below, its snapshots, and hosts / import objects built from them.',
    `import { openBundle, faces } from '${runtime}';`,
    '',
    `const bundle = await openBundle(import.meta.url, ${manifestSource}, faces);`,
    '',
    'export const policy = bundle.policy;',
    'export const snapshots = bundle.snapshots;',
    'export const createHost = (options) => bundle.createHost(options);',
    ...(p1 ? ['export const preview1Imports = (options) => bundle.preview1Imports(options);'] : []),
    ...(p2 ? [
      'export const preview2Imports = (options) => bundle.preview2Imports(options);',
      'export const loadNetwork = (want) => bundle.loadNetwork(want);',
    ] : []),
    ...(app ? ['export const run = (args, options) => bundle.run(args, options);'] : []),
    `export { ExitSignal, GuestTrap, LimitTrap, PolicyTrap, CaptureSink, BufferSource } from '${runtime}';`,
    'export default bundle;',
    ...(app ? ['', '// Only as the program the runtime was started with, never when imported.', 'if (bundle.isMain(import.meta.url, import.meta.main)) await bundle.main();'] : []),
    '',
  ];
  return lines.join('\n');
}

export function entryTypes(manifest: BundleManifest): string {
  const runtime = `./${RUNTIME_DIR}/${RUNTIME_ENTRY}`;
  return [
    `// Types of ${manifest.name}.js (wasi-virt ${manifest.wasiVirt}).`,
    `import type { Bundle, BundleOptions, BundleRunOptions, Preview1ImportOptions, Preview1Binding, Preview2ImportOptions } from '${runtime}';`,
    `import type { Policy } from './${RUNTIME_DIR}/policy/types.js';`,
    `import type { Kernel } from './${RUNTIME_DIR}/adapter/kernel/index.js';`,
    `import type { ImportObject, NetworkProvider } from './${RUNTIME_DIR}/adapter/preview2/index.js';`,
    '',
    'export declare const policy: Readonly<Policy>;',
    'export declare const snapshots: Readonly<Record<string, Uint8Array>>;',
    'export declare function createHost(options?: BundleOptions): Kernel;',
    ...(facesOf(manifest.app).includes('preview1') ? ['export declare function preview1Imports(options?: Preview1ImportOptions): Preview1Binding;'] : []),
    ...(facesOf(manifest.app).includes('preview2') ? [
      'export declare function preview2Imports(options?: Preview2ImportOptions): ImportObject;',
      'export declare function loadNetwork(want?: { sockets?: boolean; http?: boolean }): Promise<NetworkProvider>;',
    ] : []),
    ...(manifest.app ? ['export declare function run(args?: string[], options?: BundleRunOptions): Promise<{ code: number }>;'] : []),
    `export { ExitSignal, GuestTrap, LimitTrap, PolicyTrap, CaptureSink, BufferSource } from '${runtime}';`,
    'declare const bundle: Bundle;',
    'export default bundle;',
    '',
  ].join('\n');
}
