import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/marbles-setup.ts'],
    globalSetup: ['test/helpers/build-dist.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: { enabled: false },
  },
});
