import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDistStale } from './helpers/build-dist.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (code: string, type: 'commonjs' | 'module') =>
  execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim();

describe('the built package (npm test builds first; vitest alone builds a stale dist/ first, test/helpers/build-dist.ts)', () => {
  it('is built from the current source', () => {
    expect(isDistStale()).toBe(false);
  });

  it('imports under require', () => {
    const out = node(
      `const rx = require('genlook-rx'); const t = require('genlook-rx/testing'); const s = require('genlook-rx/simulator'); const r = require('genlook-rx/redis'); const p = require('genlook-rx/proxy');
       console.log(typeof rx.createGenlook, typeof rx.generation$, typeof rx.untilTerminal, typeof t.completed, typeof s.startSimulator, typeof r.redisBudget, typeof r.redisCoordinator, typeof p.createGenlookProxy);`,
      'commonjs',
    );
    expect(out).toBe('function function function function function function function function');
  });

  it('imports under import', () => {
    const out = node(
      `const rx = await import('genlook-rx'); const t = await import('genlook-rx/testing'); const s = await import('genlook-rx/simulator'); const r = await import('genlook-rx/redis'); const p = await import('genlook-rx/proxy');
       console.log(typeof rx.createGenlook, typeof rx.retryTransient, typeof t.createTestGenlook, typeof s.startSimulator, typeof r.redisCoordinator, typeof p.createGenlookProxy);`,
      'module',
    );
    expect(out).toBe('function function function function function function');
  });

  it('instanceof and the guards recognise errors of the other copy (ESM and CJS loaded side by side)', () => {
    const out = node(
      `import { createRequire } from 'node:module';
       const esm = await import('genlook-rx');
       const cjs = createRequire(process.cwd() + '/')('genlook-rx');
       const fromCjs = new cjs.GenlookApiError({ status: 503, code: 'SERVICE_UNAVAILABLE', request: 'GET x' });
       const fromEsm = new esm.GenlookNetworkError({ message: 'reset', request: 'GET x' });
       console.log(
         fromCjs instanceof esm.GenlookError, fromCjs instanceof esm.GenlookApiError, fromCjs instanceof esm.GenlookNetworkError, fromCjs instanceof Error,
         fromEsm instanceof cjs.GenlookNetworkError, fromEsm instanceof cjs.GenerationFailedError,
         esm.isGenlookError(fromCjs), esm.isTransientError(fromCjs), cjs.isGenlookError(fromEsm), cjs.isTransientError(fromEsm));`,
      'module',
    );
    expect(out).toBe('true true false true true false true true true true');
  });

  it('resolves the browser condition to a build without undici', async () => {
    const { readFile } = await import('node:fs/promises');
    const browser = await readFile(`${root}/dist/browser/index.js`, 'utf8');
    expect(browser).not.toMatch(/from ['"]undici['"]/);
    expect(browser).toContain('fetchTransport');
  });
});
