// Runs test cases' WASI 0.3 guests for tests/helpers/case-p3.ts, on Node 26 (JSPI; vitest
// runs on Node 20, which has none). One long-lived process serves many runs over the IPC
// channel, so each run costs an instantiation, not a Node start plus a transpile and a
// compile (the compiled component is reused while its bytes stay the same). A run is what
// case-run.ts's inProcess does for preview2: the case's policy, argv, host env and stdin,
// captured stdio, the repository root read-only at "/" when the policy lets embedder
// preopens through, and the same split between refusals, exits and traps.
//
// request: { id, file, policy, args, env, stdin, rootPreopen, root }
// reply:   { id, code?, trap?, error?, stdout, stderr }
import { readFileSync } from 'node:fs';
import { BufferSource, CaptureSink, ExitSignal, Kernel, PolicyTrap } from '../../dist/adapter/kernel/index.js';
import { nodePlatform } from '../../dist/adapter/node/platform.js';
import { instantiateComponent3, runToCompletion3 } from '../../dist/adapter/preview3/instantiate.js';
import { openHostDir } from '../../dist/virtual-fs/host/index.js';

function message(e) {
  if (e instanceof Error) return e.name === 'Error' || e instanceof PolicyTrap ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

const bytesOf = new Map();

async function run(req) {
  let bytes = bytesOf.get(req.file);
  if (!bytes) bytesOf.set(req.file, (bytes = new Uint8Array(readFileSync(req.file))));
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const done = (o) => ({ stdout: stdout.text(), stderr: stderr.text(), ...o });
  const options = {
    policy: req.policy,
    args: req.args,
    env: req.env,
    stdin: new BufferSource(req.stdin),
    stdout,
    stderr,
    platform: nodePlatform(),
  };
  if (req.rootPreopen) options.preopens = { '/': openHostDir(req.root, { readonly: true }) };
  let kernel;
  try {
    kernel = new Kernel(options);
  } catch (e) {
    return done({ error: message(e) });
  }
  try {
    let exports;
    try {
      ({ exports } = await instantiateComponent3(bytes, kernel));
    } catch (e) {
      if (e instanceof ExitSignal) return done({ code: e.code });
      if (e instanceof WebAssembly.RuntimeError || e instanceof PolicyTrap) return done({ trap: message(e) });
      return done({ error: message(e) });
    }
    try {
      return done({ code: await runToCompletion3(exports) });
    } catch (e) {
      return done({ trap: message(e) });
    }
  } finally {
    kernel.dispose();
  }
}

process.on('message', (req) => {
  run(req).then(
    (reply) => process.send({ id: req.id, ...reply }),
    (e) => process.send({ id: req.id, stdout: '', stderr: '', error: `the worker failed: ${message(e)}` }),
  );
});
process.on('disconnect', () => process.exit(0));
