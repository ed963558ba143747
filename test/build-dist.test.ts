import { describe, expect, it } from 'vitest';
import { BUILT_TESTS, runMayUseDist } from './helpers/build-dist.js';

describe('the globalSetup that builds dist/ for the tests that run it (test/helpers/build-dist.ts)', () => {
  const run = (...args: string[]) => runMayUseDist(['node', '/x/node_modules/vitest/vitest.mjs', 'run', ...args]);

  it('builds for the whole suite, a name filter, or a filter naming a test that runs dist/', () => {
    expect(run()).toBe(true);
    expect(run('-t', 'a download')).toBe(true);
    expect(run('test/cli.test.ts')).toBe(true);
    expect(run('./test/soak.test.ts', '--reporter', 'dot')).toBe(true);
    expect(run('test/browser/')).toBe(true);
    expect(runMayUseDist(['node', '/x/stryker.js', 'run'])).toBe(true);
  });

  it('does not build for a run of tests that import the source only', () => {
    expect(run('test/transport.test.ts')).toBe(false);
    expect(run('test/transport.test.ts', 'test/try-on.test.ts', '-t', 'redirect')).toBe(false);
  });

  it('names test files that exist', async () => {
    const { existsSync } = await import('node:fs');
    for (const path of BUILT_TESTS) expect(existsSync(new URL(`../${path}`, import.meta.url)), path).toBe(true);
  });
});
