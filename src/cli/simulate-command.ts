import { startSimulator } from '../simulator/index.js';
import { type CliContext, parseFlags, positiveNumber } from './cli-context.js';
import { UsageError } from './exit-codes.js';

export const SIMULATE_HELP = `Usage: genlook-rx simulate [options]

Runs the local Genlook-compatible API until Ctrl-C, and prints its base URL and key.

Options:
  --port <n>          port (default: a free one)
  --api-key <key>     the key it accepts (default gk_simulator_key)
  --time-scale <x>    multiplies generation durations: 0.1 makes a 10 s try-on take 1 s (default 1)
  --rate-limit <n>    requests per minute per key, 0 for none (default 100)
  --fault-seed <n>    seed of the fault injection (default 1)
  --error-rate <x>    share of polls answered 5xx, e.g. 0.1 (default 0)
  --cors              allow browser pages on other origins
  --json              print {"baseUrl","apiKey"} as one JSON line
  -h, --help          this help
`;

/** `genlook-rx simulate`: runs until the signal aborts, then closes cleanly. */
export async function simulateCommand(context: CliContext): Promise<number> {
  const { values } = parseFlags(context.argv, {
    port: { type: 'string' },
    'api-key': { type: 'string' },
    'time-scale': { type: 'string' },
    'rate-limit': { type: 'string' },
    'fault-seed': { type: 'string' },
    'error-rate': { type: 'string' },
    cors: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    context.stdout.write(SIMULATE_HELP);
    return 0;
  }
  const rateLimit = values['rate-limit'] === '0' ? false : { requestsPerMinute: positiveNumber('rate-limit', values['rate-limit'], 100) };
  const timeScale = positiveNumber('time-scale', values['time-scale'], 1);
  const simulator = await startSimulator({
    port: values.port === undefined ? 0 : positiveNumber('port', values.port, 0),
    apiKey: values['api-key'],
    timeScale,
    rateLimit,
    cors: values.cors ?? false,
    faults: { seed: positiveNumber('fault-seed', values['fault-seed'], 1), serverError: share('error-rate', values['error-rate']) },
  });
  if (values.json) context.stdout.write(`${JSON.stringify({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey })}\n`);
  else {
    context.stdout.write(
      `Genlook simulator listening\n  GENLOOK_BASE_URL=${simulator.baseUrl}\n  GENLOOK_API_KEY=${simulator.apiKey}\n` +
        // A watch cannot know the simulator's clock: without the same scale it polls as for 10 s try-ons.
        (timeScale === 1 ? '' : `Watch with the same scale: genlook-rx watch <id> --time-scale ${timeScale}\n`) +
        'Press Ctrl-C to stop.\n',
    );
  }
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await simulator.close();
  if (!values.json) context.stdout.write('Simulator stopped.\n');
  return 0;
}

function share(name: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new UsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  return number;
}
