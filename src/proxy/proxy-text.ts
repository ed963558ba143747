import { serverText, type Generation } from '../internal.js';
import type { ProxyErrorContext } from './proxy-options.js';

/** Anything shaped like a Genlook API key (`gk_` then key characters). */
const KEY_LIKE = /gk_[A-Za-z0-9_-]+/g;
const MAX_LENGTH = 500;

/**
 * The one place where the proxy makes text from the API (or a hook's error) safe to hand a browser or
 * a log: whatever looks like an API key becomes `[redacted]` (the proxy does not hold the client's
 * key, so it goes by shape), control, line-separator and bidi characters become `\u{..}` escapes (so a
 * newline in `errorMessage` can never start an event-stream field or a log line), and the text is cut
 * to 500 characters. The redaction runs before the cut, so a cut can never keep part of a key. The
 * escaping and the cut are the project's one `serverText` (src/model/server-text.ts); only the
 * redaction by shape is the proxy's own.
 */
export function safeText(text: string): string {
  return serverText(text.replace(KEY_LIKE, '[redacted]'), undefined, MAX_LENGTH);
}

/** What a browser receives of a generation: its documented fields, with the server's text made safe. */
export interface ProxyGeneration {
  generationId: string;
  status: string;
  resultImageUrl: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  createdAt: string;
  updatedAt: string;
}

/** The browser's copy of `generation`: nothing but the documented fields, every server string through `safeText`. */
export function generationBody(generation: Generation): ProxyGeneration {
  const optional = (text: string | undefined) => (text === undefined ? undefined : safeText(text));
  return {
    generationId: generation.generationId,
    status: safeText(generation.status),
    resultImageUrl: generation.resultImageUrl,
    errorCode: optional(generation.errorCode),
    errorMessage: optional(generation.errorMessage),
    createdAt: safeText(generation.createdAt),
    updatedAt: safeText(generation.updatedAt),
  };
}

/**
 * The default `onError`: `console.error` of the stage, the request line and the error; its message
 * (which may hold a user's or a server's text) through `safeText` as one line, then its stack frames
 * (at most 10, each through `safeText`), so nothing in it can forge a log line or print a key.
 */
export function reportToConsole(error: unknown, context: ProxyErrorContext): void {
  const header = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error && typeof error.stack === 'string' && error.stack.startsWith(header) ? error.stack.slice(header.length) : '';
  const frames = stack.split('\n').filter((line) => line.trim() !== '').slice(0, 10).map((line) => `\n${safeText(line)}`).join('');
  console.error(`genlook-rx/proxy: ${context.stage} failed (${safeText(`${context.request.method ?? ''} ${context.request.url ?? ''}`)}): ${safeText(header)}${frames}`);
}
