/**
 * Native preview2 component guests (no preview1 adapter): a core module in WAT whose
 * imports follow the canonical ABI names, embedded with a WIT world and made a component
 * with jco's wasm-tools. The WASI 0.2.12 WIT comes from jco's bundled copy, inlined as
 * nested packages (jco's wasm-tools cannot read host paths without preopens).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, ROOT, wat } from '../helpers/guests.js';

const WIT_DIR = join(ROOT, 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin', '0.2.12');
const PACKAGES = ['wasi-cli', 'wasi-io', 'wasi-clocks', 'wasi-filesystem', 'wasi-random', 'wasi-sockets'];

function witSource(worldFile: string): string {
  let source = readFileSync(join(COMPONENTS, 'wat', worldFile), 'utf8');
  for (const p of PACKAGES) {
    source += '\n' + readFileSync(join(WIT_DIR, p, 'package.wit'), 'utf8').replace(/^package ([^;]+);/m, 'package $1 {') + '\n}\n';
  }
  return source;
}

const built = new Map<string, Promise<Uint8Array>>();

/** tests/components/wat/<name>.wat as a component of `world` in <witFile>. */
export function nativeComponent(name: string, world: string, witFile = 'p2-tcp.wit'): Promise<Uint8Array> {
  const key = `${name}:${world}`;
  let p = built.get(key);
  if (!p) {
    p = (async () => {
      const jco = await import('@bytecodealliance/jco');
      const embedded = await jco.componentEmbed({
        binary: await wat(name),
        witSource: witSource(witFile),
        world,
        features: { tag: 'list', val: ['cli-exit-with-code'] },
      });
      return new Uint8Array(await jco.componentNew(embedded));
    })();
    built.set(key, p);
  }
  return p;
}
