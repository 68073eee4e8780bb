/**
 * The `./browser` export is one ES module with no bare specifiers (a page imports it by URL;
 * tests/web/chromium.test.ts does), that bundlers still take, and whose types a TypeScript
 * project with `moduleResolution: "bundler"` sees, as it sees the Node API's from the root.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/guests.js';
import { tempDir } from '../compose/helpers.js';

/** A project beside the repository with wasi-virt installed (a link, as `npm link` makes). */
function consumer(files: Record<string, string>): string {
  const dir = tempDir('wv-consumer-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'wasi-virt'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('wasi-virt/browser', () => {
  test('dist/browser.js imports nothing: no bare specifier, no relative file, no node: module', () => {
    const text = readFileSync(join(ROOT, 'dist', 'browser.js'), 'utf8');
    expect(text).not.toMatch(/\bfrom\s*["'][^"']+["']/);
    expect(text).not.toMatch(/\bimport\s*\(\s*["'`]/);
    expect(text).not.toMatch(/^\s*import\s*["']/m);
    expect(text).toMatch(/export\s*\{/);
  });

  test('esbuild bundles a page that imports it, and one that imports the package root', async () => {
    const dir = consumer({
      'page.js': "import { runModule, parsePolicyText, webPlatform } from 'wasi-virt/browser';\nexport { runModule, parsePolicyText, webPlatform };\n",
      'root.js': "import { runModule, Kernel } from 'wasi-virt';\nexport { runModule, Kernel };\n",
    });
    for (const entry of ['page.js', 'root.js']) {
      const r = await build({ entryPoints: [join(dir, entry)], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', metafile: true });
      expect(r.errors).toEqual([]);
      const inputs = Object.keys(r.metafile.inputs);
      expect(inputs.some((i) => i.includes('node:'))).toBe(false);
      expect(r.outputFiles[0]!.text).toMatch(/export\s*\{/);
    }
  });

  test('a moduleResolution "bundler" TypeScript project sees WASI and WasiVirt from the root, the neutral API from ./browser', () => {
    const dir = consumer({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, lib: ['es2023', 'dom'], types: [] } }),
      'main.ts': [
        "import { WASI, WasiVirt, type Policy } from 'wasi-virt';",
        "import { runModule, webPlatform, CaptureSink, type Platform } from 'wasi-virt/browser';",
        'const policy: Policy = { clocks: "allow" };',
        'const platform: Platform = webPlatform();',
        'export const uses = [WASI, WasiVirt, runModule, policy, platform, new CaptureSink()];',
        '',
      ].join('\n'),
      'wrong.ts': "import { WASI } from 'wasi-virt/browser';\nexport const w = WASI;\n",
    });
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = (file: string): string => {
      const config = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...config, files: [file] }));
      try {
        execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
        return '';
      } catch (e) {
        return String((e as { stdout?: string }).stdout);
      }
    };
    expect(check('main.ts')).toBe('');
    // The browser face has no node:wasi drop-in: asking for it is a type error, not a runtime surprise.
    expect(check('wrong.ts')).toMatch(/wrong\.ts.*has no exported member.*WASI/);
  });
});
