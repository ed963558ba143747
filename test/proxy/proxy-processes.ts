import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = `${root}node_modules/.cache/genlook-proxy-test/proxy-process.mjs`;
let built: Promise<unknown> | undefined;

/** A proxy running in a child process (test/proxy/proxy-process.ts), with what the tests ask of it. */
export interface ProxyProcess {
  origin: string;
  port: number;
  /** RSS and heap after a full GC, in bytes. */
  memory(): Promise<{ rss: number; heapUsed: number }>;
  /** Connections open at the proxy now. */
  connections(): Promise<number>;
  /** SIGKILL: the proxy dies as a crashed process does, every connection cut. */
  kill(): Promise<void>;
}

/**
 * Starts the proxy of test/proxy/proxy-process.ts in a child process, bundled from the source with
 * esbuild (once per run; dependencies stay external, resolved from node_modules), for `upstream`.
 */
export async function startProxyProcess(upstream: { baseUrl: string; apiKey: string }, options: { port?: number; pollInterval?: number; keepaliveInterval?: number } = {}): Promise<ProxyProcess> {
  mkdirSync(`${root}node_modules/.cache/genlook-proxy-test`, { recursive: true });
  built ??= build({ entryPoints: [`${root}test/proxy/proxy-process.ts`], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: bundle, logLevel: 'silent' });
  await built;
  const child: ChildProcess = fork(bundle, [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      PROXY_UPSTREAM: upstream.baseUrl,
      PROXY_API_KEY: upstream.apiKey,
      PROXY_PORT: String(options.port ?? 0),
      PROXY_POLL_INTERVAL: String(options.pollInterval ?? 200),
      PROXY_KEEPALIVE: String(options.keepaliveInterval ?? 15_000),
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the proxy process exited with ${code}`)));
    child.on('message', (message: { port?: number }) => message.port && resolve(message.port));
  });
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    memory: () => ask<{ rss: number; heapUsed: number }>(child, 'memory'),
    connections: () => ask<number>(child, 'connections'),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Sends `{ type }` to the child and resolves with the `type` field of its answer. */
function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>) => {
      if (!(type in message)) return;
      child.off('message', listener);
      resolve(message[type] as T);
    };
    child.on('message', listener);
    child.send({ type });
  });
}
