import { createGenlook, type TryOnRequest } from '../index.js';
import { startSimulator } from '../simulator/index.js';
import { type CliContext, parseFlags, useColor } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { runWatch } from './run-watch.js';
import { jsonLine } from './terminal-text.js';

export const DEMO_HELP = `Usage: genlook-rx demo [--json]

Starts the simulator in-process, creates a batch of eight try-ons with mixed outcomes, watches them
live (riding through injected 5xx errors within a 300 requests/minute budget), and prints a summary.
Needs no API key and no network.
`;

const person = { image: { source: { url: 'https://images.example/shopper.jpg' } } };
const BATCH: Array<{ label: string; request: TryOnRequest }> = [
  { label: 'linen shirt', request: { products: [{ externalId: 'linen-shirt' }], person } },
  { label: 'denim jacket', request: { products: [{ externalId: 'denim-jacket' }], person } },
  { label: 'summer dress', request: { products: [{ externalId: 'summer-dress' }], person } },
  { label: 'wool coat (slow)', request: { products: [{ externalId: 'wool-coat' }], person, externalUserId: 'sim:slow' } },
  { label: 'silk scarf', request: { products: [{ title: 'Silk scarf', images: [{ source: { url: 'https://images.example/scarf.png' } }] }], person } },
  { label: 'unreachable image', request: { products: [{ title: 'Broken', images: [{ source: { url: 'https://unreachable.invalid/shirt.png' } }] }], person } },
  { label: 'no person found', request: { products: [{ externalId: 'tee' }], person, externalUserId: 'sim:fail:PERSON_NOT_DETECTED' } },
  { label: 'chinos', request: { products: [{ externalId: 'chinos' }], person } },
];

/** `genlook-rx demo` (what `npm start` runs). */
export async function demoCommand(context: CliContext): Promise<number> {
  const { values } = parseFlags(context.argv, { json: { type: 'boolean' } });
  if (values.help) {
    context.stdout.write(DEMO_HELP);
    return 0;
  }
  const output = values.json ? 'ndjson' : context.stdout.isTTY ? 'table' : 'lines';
  const say = (text: string) => {
    if (output !== 'ndjson') context.stdout.write(text);
  };
  const started = Date.now();
  const simulator = await startSimulator({ timeScale: 0.5, rateLimit: { requestsPerMinute: 300 }, faults: { seed: 7, serverError: 0.1 } });
  const genlook = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, pollInterval: 1_000, rateLimit: { requestsPerMinute: 300 }, retry: { count: 5, delay: 250 } });
  try {
    say(`genlook-rx demo: a local simulator at ${simulator.baseUrl} (no key, no network)\n`);
    say(`Creating ${BATCH.length} try-ons: ${BATCH.map((item) => item.label).join(', ')}\n\n`);
    const ids: string[] = [];
    for (const item of BATCH) ids.push((await genlook.createTryOn(item.request, { signal: context.signal })).generationId);
    const { rows, exitCode } = await runWatch(genlook, ids, {
      output,
      timeout: 60_000,
      color: useColor(context),
      write: (text) => context.stdout.write(text),
      signal: context.signal,
      width: context.stdout.columns,
    });
    if (exitCode === EXIT.interrupted) return exitCode;
    const stats = simulator.stats();
    const completed = rows.filter((row) => row.outcome === 'completed').length;
    const failed = rows.filter((row) => row.outcome === 'failed');
    const unexpected = rows.filter((row) => row.outcome === 'timeout' || row.outcome === 'error');
    const summary = {
      event: 'summary',
      tryOns: rows.length,
      completed,
      failed: failed.length,
      failureCodes: failed.map((row) => row.detail),
      unexpected: unexpected.length,
      requests: stats.generationRequests + stats.createRequests,
      requestsPerGeneration: Math.round(((stats.generationRequests + stats.createRequests) / Math.max(1, rows.length)) * 10) / 10,
      injectedServerErrors: stats.faults.serverError,
      rateLimited: stats.byStatus[429] ?? 0,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    if (output === 'ndjson') context.stdout.write(jsonLine(summary));
    else {
      say(
        `\n${summary.tryOns} try-ons in ${summary.seconds}s: ${completed} completed, ${failed.length} failed as scripted (${summary.failureCodes.join(', ')}).\n` +
          `${summary.requests} requests (${summary.requestsPerGeneration} a generation, its creation included); ${summary.injectedServerErrors} injected 5xx ridden through; ${summary.rateLimited} answered 429.\n`,
      );
    }
    // The scripted failures are the point of the demo; anything else is a real problem.
    return unexpected.length === 0 ? EXIT.ok : EXIT.apiError;
  } finally {
    await genlook.close();
    await simulator.close();
  }
}
