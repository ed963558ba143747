import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suite Stryker runs against each mutant (stryker.config.json): the in-process tests of src/. Left out
// (docs/reliability.md, "Mutation testing"): the tests of dist/ and other processes (CLI, package, npm
// start, soak, browser, fleet on redis-server, cli-flags, framework-entries), which a mutant of src/
// reaches only through a build, and which take minutes on their own; and the proxy's tests that run real
// servers on the wall clock (proxy-restart, proxy-reads, proxy-load, proxy-events: 3 to 10 s a run each,
// for code under src/proxy, which is not mutated). Leaving a test out can only lower a score, never raise it.
export const STRYKER_EXCLUDED = [
  'test/fleet/**',
  'test/browser/**',
  'test/cli.test.ts',
  'test/cli-hostile.test.ts',
  'test/cli-flags.test.ts',
  'test/framework-entries.test.ts',
  'test/package.test.ts',
  'test/npm-start.test.ts',
  'test/soak.test.ts',
  'test/proxy-restart.test.ts',
  'test/proxy-reads.test.ts',
  'test/proxy-load.test.ts',
  'test/proxy-events.test.ts',
  // Compares docs/*.md with examples/ (not copied to Stryker's sandbox): no src/ in it.
  'test/docs-examples.test.ts',
];

const config = mergeConfig(base, defineConfig({ test: { exclude: [...STRYKER_EXCLUDED, 'node_modules/**'] } }));
// No test left uses dist/: no build before the run (Stryker's sandbox has no dist/, so the globalSetup
// would build the instrumented src/ there on every start of the runner).
config.test.globalSetup = [];
export default config;
