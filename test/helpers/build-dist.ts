// vitest globalSetup: builds dist/ (npm run build) before the tests that run the built package, when
// dist/ is missing or older than what it is built from, so `vitest run` alone never tests stale code.
// `npm test` builds first, so there it finds dist/ fresh and builds nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The tests that run dist/ (the CLI binary, the package's entries, the soak runner, a browser bundle, fleet workers). */
export const BUILT_TESTS = ['test/cli.test.ts', 'test/cli-hostile.test.ts', 'test/soak.test.ts', 'test/package.test.ts', 'test/npm-start.test.ts', 'test/browser/browser.test.ts', 'test/fleet/fleet.test.ts', 'test/cli-flags.test.ts', 'test/framework-entries.test.ts'];

/** What dist/ is built from. */
const INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'];

/** The newest (or oldest) modification time of the files under `path`; undefined if there are none. */
function mtime(path: string, pick: (a: number, b: number) => number): number | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let found: number | undefined;
  for (const entry of readdirSync(path)) {
    const time = mtime(join(path, entry), pick);
    if (time !== undefined) found = found === undefined ? time : pick(found, time);
  }
  return found;
}

/** True when a file of dist/ is older than any input, or dist/ is missing or empty. */
export function isDistStale(): boolean {
  const built = mtime(join(root, 'dist'), Math.min);
  if (built === undefined) return true;
  const inputs = Math.max(...INPUTS.map((input) => mtime(join(root, input), Math.max) ?? 0));
  return inputs > built;
}

/**
 * Whether this run may include a test of BUILT_TESTS: the file filters given to `vitest run` (the
 * positional arguments that look like paths), matched as vitest matches them (a substring of the
 * path). With no such filter (the whole suite, a name filter, or vitest started by another tool), yes.
 */
export function runMayUseDist(argv: readonly string[]): boolean {
  const filters = argv.slice(2).filter((arg) => !arg.startsWith('-') && /[/.]/.test(arg) && !/vitest(\.mjs)?$/.test(arg));
  if (filters.length === 0) return true;
  return BUILT_TESTS.some((path) => filters.some((filter) => path.includes(filter.replace(/^\.\//, ''))));
}

/**
 * Builds once per run, under a lock so that two runs in one worktree never build over each other (a
 * lock left by a run that died is taken over after five minutes).
 */
export default async function setup(): Promise<void> {
  if (!runMayUseDist(process.argv) || !isDistStale()) return;
  const lock = join(root, 'node_modules', '.build-dist.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another run is building: wait for it, then see whether there is still anything to do.
      if (Date.now() - (mtime(lock, Math.max) ?? statSync(lock).mtimeMs) > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!isDistStale()) return;
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed before the tests that run dist/:\n${build.stdout}${build.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
