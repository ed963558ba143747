import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  target: 'node20',
  sourcemap: true,
  splitting: true,
  treeshake: true,
  outDir: 'dist',
  // The frameworks are the app's (optional peer dependencies): never bundled, one copy.
  external: ['rxjs', 'zod', 'undici', 'ioredis', /^@angular\//, /^@nestjs\//, 'reflect-metadata'],
};

/** The browser build swaps the default transport for fetch, so undici never enters a bundle. */
const browserTransport = {
  name: 'browser-default-transport',
  setup(build: { onResolve: (options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string }) => { path: string }) => void }) {
    build.onResolve({ filter: /\/default-transport\.js$/ }, (args) => ({
      path: `${args.resolveDir}/${args.path.replace(/\.js$/, '.browser.ts')}`,
    }));
  },
};

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'simulator/index': 'src/simulator/index.ts',
      'redis/index': 'src/redis/index.ts',
      'proxy/index': 'src/proxy/index.ts',
      'angular/index': 'src/angular/index.ts',
      'nestjs/index': 'src/nestjs/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  },
  {
    ...shared,
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
  },
  {
    ...shared,
    // genlook-rx/angular too: its client code must be the browser build's (one shared chunk, no undici).
    entry: { 'browser/index': 'src/index.ts', 'browser/angular/index': 'src/angular/index.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: false,
    esbuildPlugins: [browserTransport],
  },
]);
