import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suite Stryker runs against each mutant (stryker.config.json): the in-process tests of src/. Left out:
// the tests of dist/ and other processes (CLI, package, npm start, soak, browser, fleet on redis-server),
// which a mutant of src/ reaches only through a build, and which take minutes on their own.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/fleet/**', 'test/browser/**', 'test/cli.test.ts', 'test/cli-hostile.test.ts', 'test/package.test.ts', 'test/npm-start.test.ts', 'test/soak.test.ts', 'node_modules/**'],
    },
  }),
);
