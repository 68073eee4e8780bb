/**
 * The CLI skips yargs' help layout after a command is chosen (src/cli/options.ts,
 * skipHelpCache): it costs a third of a `wasi-virt run`. This fails if a yargs upgrade
 * moves the hook, so the saving is not lost silently, and checks that help is still laid
 * out when asked for.
 */
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { buildCli, skipHelpCache } from '../../src/cli/options.js';

interface Usage {
  cacheHelpMessage(): void;
  hasCachedHelpMessage(): boolean;
}
function usageOf(y: unknown): Usage {
  return (y as { getInternalMethods(): { getUsageInstance(): Usage } }).getInternalMethods().getUsageInstance();
}

describe('yargs help layout', () => {
  it('plain yargs caches the help text after a command handler (the cost skipped)', async () => {
    const y = yargs(['go']).command('go', 'a command', (c) => c.option('x', { type: 'string', describe: 'x' }), () => {}).exitProcess(false);
    await y.parseAsync();
    expect(usageOf(y).hasCachedHelpMessage()).toBe(true);
  });

  it('skipHelpCache leaves nothing laid out after a command handler', async () => {
    const y = skipHelpCache(yargs(['go']).command('go', 'a command', () => {}, () => {}).exitProcess(false));
    await y.parseAsync();
    expect(usageOf(y).hasCachedHelpMessage()).toBe(false);
  });

  it('the CLI chooses `run` without laying out help, and still prints help when asked', async () => {
    let chosen = '';
    const run = buildCli(['run', 'app.wasm'], '0', (c) => { chosen = c.command; });
    await run.parseAsync();
    expect(chosen).toBe('run');
    expect(usageOf(run).hasCachedHelpMessage()).toBe(false);

    let out = '';
    const help = buildCli(['run', '--help'], '0', () => {});
    await help.parseAsync(['run', '--help'], {}, (_err, _argv, output) => { out = output; });
    expect(out).toMatch(/--allow-env/);
  });
});
