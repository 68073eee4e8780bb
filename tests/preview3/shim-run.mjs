// Runs one WASI 0.3 program with jco's own hosts, for side-by-side tests (Node 26 only):
// the component transpiled as wasi-virt does (dist/, same cache), instantiated over
// @bytecodealliance/preview3-shim merged with preview2-shim (the 0.2 interfaces these
// components also import), keys merged the way jco's import object needs.
// usage: node26 shim-run.mjs prog.wasm '{"env":{},"args":[],"preopens":{"fs-tests.dir":"/abs"}}'
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as p2cli from '@bytecodealliance/preview2-shim/cli';
import * as p2clocks from '@bytecodealliance/preview2-shim/clocks';
import * as p2io from '@bytecodealliance/preview2-shim/io';
import * as p2random from '@bytecodealliance/preview2-shim/random';
import * as p3 from '@bytecodealliance/preview3-shim';
import { transpileComponent } from '../../dist/adapter/preview2/transpile.js';

const [file, configJson = '{}'] = process.argv.slice(2);
const config = JSON.parse(configJson);
p2cli._setEnv(config.env ?? {});
p2cli._setArgs([file.split('/').pop(), ...(config.args ?? [])]);
p3.filesystem._setPreopens(config.preopens ?? {});

const merge = (...parts) => Object.assign({}, ...parts);
const imports = {
  'wasi:cli/environment': merge(p2cli.environment, p3.cli.environment),
  'wasi:cli/exit': p2cli.exit,
  'wasi:cli/stdin': merge(p2cli.stdin, p3.cli.stdin),
  'wasi:cli/stdout': merge(p2cli.stdout, p3.cli.stdout),
  'wasi:cli/stderr': merge(p2cli.stderr, p3.cli.stderr),
  'wasi:cli/terminal-input': p2cli.terminalInput,
  'wasi:cli/terminal-output': p2cli.terminalOutput,
  'wasi:cli/terminal-stdin': p2cli.terminalStdin,
  'wasi:cli/terminal-stdout': p2cli.terminalStdout,
  'wasi:cli/terminal-stderr': p2cli.terminalStderr,
  'wasi:clocks/monotonic-clock': merge(p2clocks.monotonicClock, p3.clocks.monotonicClock),
  'wasi:clocks/system-clock': p3.clocks.systemClock,
  'wasi:io/error': p2io.error,
  'wasi:io/poll': p2io.poll,
  'wasi:io/streams': p2io.streams,
  'wasi:filesystem/types': p3.filesystem.types,
  'wasi:filesystem/preopens': p3.filesystem.preopens,
  'wasi:random/random': merge(p2random.random, p3.random.random),
  'wasi:random/insecure': merge(p2random.insecure, p3.random.insecure),
  'wasi:random/insecure-seed': merge(p2random.insecureSeed, p3.random.insecureSeed),
  'wasi:sockets/types': p3.sockets.types,
  'wasi:sockets/ip-name-lookup': p3.sockets.ipNameLookup,
  'wasi:http/types': p3.http.types,
  'wasi:http/client': p3.http.client,
};

const t = await transpileComponent(new Uint8Array(readFileSync(file)), { instantiation: 'async' });
const mod = await import(pathToFileURL(t.jsFile).href);
const modules = new Map(await Promise.all(t.coreFiles.map(async (f) => [f, await WebAssembly.compile(readFileSync(join(t.dir, f)))])));
const exports = await mod.instantiate((name) => modules.get(name), imports);
const runName = Object.keys(exports).find((k) => k.startsWith('wasi:cli/run@0.3.'));
try {
  await exports[runName].run();
  process.exit(0);
} catch (e) {
  process.stderr.write(`shim-run: ${e?.message ?? e}\n`);
  process.exit(1);
}
