import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (code: string, type: 'commonjs' | 'module') => execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim();

/** What a bundler puts in an app that imports `source` (the built package, as an app resolves it). */
async function bundled(source: string, platform: 'browser' | 'node') {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: 'esm',
    external: ['rxjs', 'zod', 'undici', '@angular/*', '@nestjs/*'],
    logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0]!.text };
}

describe('genlook-rx/angular and genlook-rx/nestjs (the built package: npm test builds before vitest)', () => {
  it('an app that imports only the root entry gets nothing of them, in the browser and in Node', async () => {
    for (const platform of ['browser', 'node'] as const) {
      const { inputs, text } = await bundled(`export { createGenlook, GenerationFailedError } from 'genlook-rx';`, platform);
      expect(inputs.filter((input) => /dist\/(browser\/)?(angular|nestjs)\//.test(input))).toEqual([]);
      expect(text).not.toMatch(/@angular\/|@nestjs\/|HttpClient|GenlookModule/);
    }
  });

  it('genlook-rx/angular in a browser bundle shares the root entry\'s browser build: one client, no undici', async () => {
    const { inputs, text } = await bundled(`export { provideGenlook } from 'genlook-rx/angular'; export { createGenlook } from 'genlook-rx';`, 'browser');
    expect(inputs.some((input) => input.includes('dist/browser/angular/index.js'))).toBe(true);
    expect(text).not.toMatch(/undici/);
    expect(text.match(/GenerationFailedError = class\b|class GenerationFailedError\b/g)).toHaveLength(1);
  });

  it('genlook-rx/nestjs loads under import and require', () => {
    const esm = node(`const n = await import('genlook-rx/nestjs'); console.log(typeof n.GenlookModule.forRoot, typeof n.generationEvents, typeof n.tryOnException);`, 'module');
    const cjs = node(`require('reflect-metadata'); const n = require('genlook-rx/nestjs'); console.log(typeof n.GenlookModule.forRootAsync, typeof n.InjectGenlook);`, 'commonjs');
    expect([esm, cjs]).toEqual(['function function function', 'function function']);
  });
});
