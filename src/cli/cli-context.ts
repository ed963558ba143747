import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createGenlook, type Genlook, validateGenerationId } from '../internal.js';
import { UsageError } from './exit-codes.js';
import type { RunWatchOptions, WatchOutput } from './run-watch.js';

/** What a command needs from the outside world (injected so tests can run commands in-process). */
export interface CliContext {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

/** Parses flags strictly: an unknown flag or a missing value is a `UsageError`. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** A flag that must be a positive whole number of milliseconds (or other unit). */
export function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`--${name} must be a positive number, got ${JSON.stringify(value)}`);
  return number;
}

/** The flags shared by the commands that talk to the API. */
export const API_FLAGS = {
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  retries: { type: 'string' },
} as const;

/** The flags shared by the commands that watch. */
export const WATCH_FLAGS = {
  json: { type: 'boolean' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  download: { type: 'string' },
  'time-scale': { type: 'string' },
} as const;

/** The poll interval of the API's guidance, in ms (`--interval`'s default). */
const DEFAULT_INTERVAL = 2_000;

/**
 * The generation ids of a command line, checked before anything is sent: an id the API could never
 * know (empty, with whitespace or control characters) is a usage error (exit 2), shown as JSON text
 * (`"gen\n1"`), not a watch that ends in an API error.
 */
export function generationIds(ids: readonly string[]): string[] {
  for (const id of ids) {
    const problem = validateGenerationId(id)?.details[0]?.message;
    if (problem !== undefined) throw new UsageError(`Invalid generation id ${JSON.stringify(id)}: it ${problem}`);
  }
  return [...ids];
}

/**
 * A client from --api-key/--base-url or GENLOOK_API_KEY/GENLOOK_BASE_URL, polling every `pollInterval`
 * (the watch's, so a creation's first poll follows it too); configuration errors are usage errors.
 */
export function clientFrom(values: { 'api-key'?: string; 'base-url'?: string; retries?: string }, env: CliContext['env'], pollInterval?: number): Genlook {
  const apiKey = values['api-key'] ?? (env.GENLOOK_API_KEY || undefined);
  if (apiKey === undefined) throw new UsageError('No API key: pass --api-key or set GENLOOK_API_KEY');
  // Without --retries, the library's policy: a watch retries while its last good answer is under 2 minutes
  // old (no count), a creation 5 times; --retries also caps a watch's retries in a row (docs/cli.md).
  const retries = values.retries === undefined ? undefined : Number(values.retries);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) throw new UsageError(`--retries must be a whole number, got ${JSON.stringify(values.retries)}`);
  try {
    return createGenlook({ apiKey, baseUrl: values['base-url'] ?? (env.GENLOOK_BASE_URL || undefined), retry: retries, ...(pollInterval === undefined ? {} : { pollInterval }) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** NDJSON when asked or piped; the live table on a terminal. */
export function outputOf(json: boolean | undefined, context: CliContext): WatchOutput {
  return json || !context.stdout.isTTY ? 'ndjson' : 'table';
}

/** Colour only on a terminal and without NO_COLOR. */
export function useColor(context: CliContext): boolean {
  return Boolean(context.stdout.isTTY) && !context.env.NO_COLOR;
}

/**
 * The poll interval of `--interval` and `--time-scale`, or `undefined` for the client's default. The
 * time scale of a simulator (`simulate --time-scale 0.1`) multiplies the interval, and with it the
 * adaptive cadence's prior (five intervals: a 10 s try-on at 2 s, a 1 s one at 200 ms), so a 1 s
 * try-on is not first polled after the 6.8 s a real 10 s one waits.
 */
export function pollIntervalOf(values: { interval?: string; 'time-scale'?: string }): number | undefined {
  if (values.interval === undefined && values['time-scale'] === undefined) return undefined;
  return positiveNumber('interval', values.interval, DEFAULT_INTERVAL) * positiveNumber('time-scale', values['time-scale'], 1);
}

/** The `runWatch` settings of `--json`, `--interval`, `--time-scale`, `--timeout` and `--download`. */
export function watchSettings(
  values: { json?: boolean; interval?: string; 'time-scale'?: string; timeout?: string; download?: string; 'base-url'?: string },
  context: CliContext,
): RunWatchOptions {
  return {
    output: outputOf(values.json, context),
    timeout: positiveNumber('timeout', values.timeout, 180_000),
    interval: pollIntervalOf(values),
    download: values.download,
    apiBaseUrl: values['base-url'] ?? (context.env.GENLOOK_BASE_URL || undefined),
    color: useColor(context),
    write: (text) => context.stdout.write(text),
    signal: context.signal,
    width: context.stdout.columns,
  };
}
