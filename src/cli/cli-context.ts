import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createGenlook, type Genlook } from '../index.js';
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
} as const;

/** A client from --api-key/--base-url or GENLOOK_API_KEY/GENLOOK_BASE_URL; configuration errors are usage errors. */
export function clientFrom(values: { 'api-key'?: string; 'base-url'?: string; retries?: string }, env: CliContext['env']): Genlook {
  const apiKey = values['api-key'] ?? (env.GENLOOK_API_KEY || undefined);
  if (apiKey === undefined) throw new UsageError('No API key: pass --api-key or set GENLOOK_API_KEY');
  // Without --retries, the library's policy: a watch retries while its last good answer is under 2 minutes old.
  const retries = values.retries === undefined ? undefined : Number(values.retries);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) throw new UsageError(`--retries must be a whole number, got ${JSON.stringify(values.retries)}`);
  try {
    return createGenlook({ apiKey, baseUrl: values['base-url'] ?? (env.GENLOOK_BASE_URL || undefined), retry: retries });
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

/** The `runWatch` settings of `--json`, `--interval`, `--timeout` and `--download`. */
export function watchSettings(
  values: { json?: boolean; interval?: string; timeout?: string; download?: string; 'base-url'?: string },
  context: CliContext,
): RunWatchOptions {
  return {
    output: outputOf(values.json, context),
    timeout: positiveNumber('timeout', values.timeout, 180_000),
    interval: values.interval === undefined ? undefined : positiveNumber('interval', values.interval, 2_000),
    download: values.download,
    apiBaseUrl: values['base-url'] ?? (context.env.GENLOOK_BASE_URL || undefined),
    color: useColor(context),
    write: (text) => context.stdout.write(text),
    signal: context.signal,
    width: context.stdout.columns,
  };
}
