/**
 * Test guests, built from the sources in tests/components:
 * - `wat/<name>.wat` compiled in-process with wabt;
 * - `c/<name>.c` compiled with Debian's clang + wasi-libc by `npm run build:guests`, the
 *   result committed as `c/build/<name>.wasm` so tests run without a compiler (CI rebuilds
 *   and checks they match: `npm run build:guests -- --check` in .ci/run);
 * - either one wrapped as a preview2 component with jco's preview1 command adapter;
 * - `js/<name>.js` built with componentize-qjs into a WASI 0.3 command component (the
 *   case guests' 0.3 twins; too big to commit, ~1.1 MB each).
 * Builds are cached on disk by content hash in .cache/guests.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COMPONENTS = join(ROOT, 'tests', 'components');
const CACHE = join(ROOT, '.cache', 'guests');

function hash(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 24);
}

function cached(key: string, ext: string, build: () => Promise<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const file = join(CACHE, `${key}.${ext}`);
  if (existsSync(file)) return Promise.resolve(new Uint8Array(readFileSync(file)));
  return build().then((bytes) => {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(file, bytes);
    return new Uint8Array(bytes);
  });
}

type Wabt = { parseWat(name: string, src: string, features?: object): { validate(): void; toBinary(o: object): { buffer: Uint8Array }; destroy(): void } };
let wabtPromise: Promise<Wabt> | undefined;

/** Compile WAT text to a core module. */
export async function compileWat(source: string, name = 'inline.wat'): Promise<Uint8Array<ArrayBuffer>> {
  return cached(hash('wat1', source), 'wasm', async () => {
    wabtPromise ??= import('wabt').then((m) => ((m as unknown as { default: () => Promise<Wabt> }).default)());
    const wabt = await wabtPromise;
    const mod = wabt.parseWat(name, source, { multi_value: true, bulk_memory: true, mutable_globals: true, sign_extension: true, sat_float_to_int: true });
    try {
      mod.validate();
      return new Uint8Array(mod.toBinary({ write_debug_names: true }).buffer);
    } finally {
      mod.destroy();
    }
  });
}

/** tests/components/wat/<name>.wat as a core module. */
export function wat(name: string): Promise<Uint8Array<ArrayBuffer>> {
  const file = join(COMPONENTS, 'wat', `${name}.wat`);
  return compileWat(readFileSync(file, 'utf8'), `${name}.wat`);
}

/** tests/components/c/build/<name>.wasm (built from c/<name>.c by `npm run build:guests`). */
export function c(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(COMPONENTS, 'c', 'build', `${name}.wasm`)));
}

/** A core module wrapped as a preview2 command component (jco's preview1 adapter). */
export async function component(core: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const jco = await import('@bytecodealliance/jco');
  const adapter = readFileSync(fileURLToPath(jco.preview1AdapterCommandPath()));
  return cached(hash('component1', core, adapter), 'component.wasm', async () => {
    return new Uint8Array(await jco.componentNew(core, [['wasi_snapshot_preview1', adapter]]));
  });
}

/** tests/components/js: WASI 0.3 twins of the case guests, JS built with componentize-qjs. */
export const JS_GUESTS = join(COMPONENTS, 'js');

/** Every file a JS guest's build reads: its source, the shared lib.js, the WIT. */
function jsInputs(name: string): (string | Uint8Array)[] {
  const files = [join(JS_GUESTS, `${name}.js`), join(JS_GUESTS, 'lib.js')];
  const wit = join(JS_GUESTS, 'wit');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(wit);
  return files.flatMap((f) => [f.slice(JS_GUESTS.length), readFileSync(f)]);
}

/**
 * tests/components/js/<name>.js built into a WASI 0.3 command component of world <name>
 * (tests/components/js/wit/guests.wit). A build takes seconds and writes ~1.1 MB (the
 * QuickJS engine, snapshotted), so the output is not committed: it is cached here by the
 * hash of every input and componentize-qjs's version. Returns the cached file's path.
 */
export async function jsGuestFile(name: string): Promise<string> {
  const qjsVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'componentize-qjs', 'package.json'), 'utf8')) as { version: string }).version;
  const key = hash('qjs2-opt-size', qjsVersion, ...jsInputs(name));
  const file = join(CACHE, `${key}.p3.wasm`);
  await cached(key, 'p3.wasm', async () => {
    const { componentize } = await import('componentize-qjs');
    const jsPath = join(JS_GUESTS, `${name}.js`);
    const { component } = await componentize({
      witPath: join(JS_GUESTS, 'wit'),
      world: name,
      jsSource: readFileSync(jsPath, 'utf8'),
      jsPath,
      moduleRoot: JS_GUESTS,
      // The size-optimized QuickJS: 1.1 MB instead of 1.6, and ~40% less build time (the
      // guests do little work, so its slower interpreter costs nothing measurable).
      optSize: true,
    });
    return new Uint8Array(component);
  });
  return file;
}
