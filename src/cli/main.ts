#!/usr/bin/env node
// PLACEHOLDER: the yargs CLI lands with the foundation issue.
process.stderr.write('wasi-virt: the CLI is not built yet\n');
process.exitCode = 2;
