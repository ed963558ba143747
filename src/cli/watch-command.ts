import { API_FLAGS, type CliContext, clientFrom, generationIds, parseFlags, WATCH_FLAGS, watchSettings } from './cli-context.js';
import { UsageError } from './exit-codes.js';
import { runWatch } from './run-watch.js';

export const WATCH_HELP = `Usage: genlook-rx watch <id...> [options]

Follows generations until each completes, fails or times out.
On a terminal: a live table. Piped or with --json: one JSON object per line per status change.

Options:
  --json             NDJSON output even on a terminal
  --interval <ms>    poll interval (default 2000)
  --time-scale <x>   for a simulator run with --time-scale <x>: multiplies the interval, and the
                     cadence's idea of how long a try-on takes (0.1: polls every 200 ms)
  --timeout <ms>     time allowed per generation (default 180000)
  --download <dir>   save each result image as <dir>/<id>.png, .jpg or .webp (its content type; an id's
                     characters other than letters, digits, _ and - as %XX); the API key is never
                     sent to the image host; at most 25 MiB each, within --timeout
  --api-key <key>    API key (default: GENLOOK_API_KEY)
  --base-url <url>   API base URL (default: GENLOOK_BASE_URL, else https://api.genlook.app/tryon/v1)
  --retries <n>      also give up after <n> transient failures (network, 5xx, 429) in a row
                     (default: no count; a watch retries while its last good answer is under
                     2 minutes old, a creation retries 5 times)
  -h, --help         this help

Exit codes: 0 all completed, 1 any failed, 2 usage or configuration error, 3 timeout,
4 API or network error (an unknown id included), 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.
`;

/** `genlook-rx watch <id...>`. */
export async function watchCommand(context: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(context.argv, { ...WATCH_FLAGS, ...API_FLAGS }, true);
  if (values.help) {
    context.stdout.write(WATCH_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('watch needs at least one generation id');
  const ids = generationIds(positionals);
  const settings = watchSettings(values, context);
  const genlook = clientFrom(values, context.env, settings.interval);
  try {
    const { exitCode } = await runWatch(genlook, ids, settings);
    return exitCode;
  } finally {
    await genlook.close();
  }
}
