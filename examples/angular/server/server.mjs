// The app's backend: genlook-rx/proxy under /api/genlook (it adds the API key, on the server), and the
// built app (`ng build`) for every other GET.
//   GENLOOK_API_KEY=gk_... node server/server.mjs        against Genlook
//   node server/server.mjs --simulator                   against genlook-rx's local simulator (no key)
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { createGenlook } from 'genlook-rx';
import { createGenlookProxy } from 'genlook-rx/proxy';

const useSimulator = process.argv.includes('--simulator');
const simulator = useSimulator ? await (await import('genlook-rx/simulator')).startSimulator({ timeScale: 0.2 }) : undefined;
const apiKey = simulator?.apiKey ?? process.env.GENLOOK_API_KEY;
if (!apiKey) {
  console.error('server: GENLOOK_API_KEY is not set: export your Genlook API key, or run with --simulator.');
  process.exit(1);
}
const genlook = createGenlook({ apiKey, baseUrl: simulator?.baseUrl ?? (process.env.GENLOOK_BASE_URL || undefined) });
const proxy = createGenlookProxy({
  genlook,
  basePath: '/api/genlook',
  // Each try-on created through the page spends a credit: let only your signed-in users do it.
  allowCreate: true,
  // Who may see which generation, and create: here anyone. Check your signed-in user instead.
  authorize: () => true,
});

// Where `ng build` writes this project (angular.json's first project): dist/<project>/browser.
const root = resolve(import.meta.dirname, '..');
const [project, config] = Object.entries(JSON.parse(readFileSync(resolve(root, 'angular.json'), 'utf8')).projects)[0];
const app = resolve(root, config.architect.build.options.outputPath ?? `dist/${project}`, 'browser');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** The built file for a path, or index.html (the app's own routes, such as /try-on/gen_1). */
function fileFor(pathname) {
  let file;
  try {
    file = resolve(app, `.${decodeURIComponent(pathname)}`);
  } catch {
    return undefined;
  }
  if (file !== app && !file.startsWith(app + sep)) return undefined;
  try {
    if (statSync(file).isFile()) return file;
  } catch {
    // not a file: one of the app's routes
  }
  return extname(pathname) === '' ? resolve(app, 'index.html') : undefined;
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://app.invalid');
  if (pathname === '/api/genlook' || pathname.startsWith('/api/genlook/')) return proxy(req, res);
  if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
  const file = fileFor(pathname);
  if (file === undefined) return void res.writeHead(404).end('Not found');
  const stream = createReadStream(file);
  // A file that cannot be read (not built yet: run `npx ng build`) is a 500 with the reason, not a crash.
  stream.on('error', (error) => {
    console.error(`server: cannot read ${file}: ${error.message}`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(error.code === 'ENOENT' ? 'The app is not built: run `npx ng build`.' : 'Cannot read the file.');
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    stream.pipe(res);
  });
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}${simulator ? ` (simulator: ${simulator.baseUrl})` : ''}`);
});
const stop = async () => {
  server.close();
  server.closeAllConnections();
  await genlook.close();
  await simulator?.close();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
