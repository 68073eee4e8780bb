"""wasi-testsuite adapter for `wasi-virt run`.

Works both ways the suite's test runner drives a runtime:
- the classic form, a script run per test from the test's directory:
    python3 wasi_virt.py --version
    python3 wasi_virt.py --test-file T.wasm [--arg A]... [--env K=V]... [--dir D]...
- the newer form, a module the runner imports (get_name, get_version, get_wasi_versions,
  compute_argv).

Each preopen is passed as wasmtime's `--dir D` (guest name D, as written); the newer
runner's `root` becomes the guest's `/`. Set WASI_VIRT to the command that starts wasi-virt
(default: `npx wasi-virt`), e.g. `node /path/to/wasi-virt/dist/cli/main.js`.
"""
import argparse
import os
import shlex
import subprocess
import sys


def _command():
    return shlex.split(os.environ.get("WASI_VIRT", "npx wasi-virt"))


def get_name():
    return "wasi-virt"


def get_version():
    out = subprocess.run(_command() + ["--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip().split(" ")[-1]


def get_wasi_versions():
    return ["wasm32-wasip1"]


def compute_argv(test_path, config, *_rest):
    """config: (args, env, dirs) or (args, env, {"root": dir}), as the runner passes it."""
    args, env, dirs = config[0], config[1], config[2]
    argv = _command() + ["run"]
    for name, value in (env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env)):
        argv += ["--env", f"{name}={value}"]
    if isinstance(dirs, dict) and "root" in dirs:
        argv += ["--dir", f"{dirs['root']}::/"]
    else:
        for d in dirs:
            argv += ["--dir", d]
    return argv + [test_path, "--"] + list(args)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--version", action="store_true")
    p.add_argument("--test-file")
    p.add_argument("--arg", action="append", default=[])
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--dir", action="append", default=[])
    a = p.parse_args()
    if a.version:
        print(f"{get_name()} {get_version()}")
        return 0
    argv = compute_argv(a.test_file, (a.arg, a.env, a.dir))
    return subprocess.run(argv).returncode


if __name__ == "__main__":
    sys.exit(main())
