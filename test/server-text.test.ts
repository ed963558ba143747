import fc from 'fast-check';
import { inspect } from 'node:util';
import { lastValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/cli/table-renderer.js';
import { jsonLine } from '../src/cli/terminal-text.js';
import { applyEvent, errorEvent, statusEvent, type WatchRow } from '../src/cli/watch-event.js';
import { createGenlook, GenerationFailedError, GenerationTimeoutError, GenlookResponseError, type Transport, type TransportResponse } from '../src/index.js';
import { bodyExcerpt, serverText } from '../src/model/server-text.js';
import { failed, pending } from '../src/testing/index.js';
import { tryOnRequest } from './helpers/simulator.js';

const KEY = 'gk_live_Q7xZ9mW2pL4vB8nR3tY6uJ1kH5cF0dSa';
const ESC = '\u001b';
/** Raw characters no surface may carry: ESC, BEL, CR, LF, C1 CSI, bidi overrides and isolates, LRM, RLM, ALM. */
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** An answer of a synchronous transport: every call answers `response`. */
const answering = (response: TransportResponse | ((call: number) => TransportResponse)): Transport => {
  let calls = 0;
  return { request: () => of(typeof response === 'function' ? response(calls++) : response) };
};
const json = (body: unknown, status = 200): TransportResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const client = (transport: Transport) => createGenlook({ apiKey: KEY, retry: false, rateLimit: false, transport });

/** Every 8-character piece of the key: none may be shown (a cut key is still most of the key). */
const KEY_PIECES = Array.from({ length: KEY.length - 7 }, (_, start) => KEY.slice(start, start + 8));

/** The texts a user, a log or a terminal sees of an error. Multi-line ones (the stack) keep their own newlines. */
function surfaces(error: unknown): { oneLine: string[]; multiLine: string[] } {
  const failure = error as Error;
  return {
    oneLine: [String(error), failure.message, JSON.stringify(error)],
    multiLine: [failure.stack ?? '', inspect(error, { depth: 10 }), inspect(error, { depth: 10, showHidden: true })],
  };
}

/** No piece of the key and no raw control (a multi-line surface may hold newlines between lines, nothing else). */
function expectSafe(error: unknown): void {
  const { oneLine, multiLine } = surfaces(error);
  for (const text of [...oneLine, ...multiLine]) for (const piece of KEY_PIECES) expect(text).not.toContain(piece);
  for (const text of oneLine) expect(text).not.toMatch(RAW);
  for (const text of multiLine) expect(text.replaceAll('\n', ' ')).not.toMatch(RAW);
}

describe('server text inside a generation is redacted and escaped where it is decoded (issue 21, defect 1)', () => {
  const errorCode = `E${ESC}[2J${KEY}`;
  const errorMessage = `bad key ${KEY} ${ESC}]52;c;ZXZpbA==\u0007\r\nFAKE LOG LINE`;

  it('a FAILED generation with the key, ESC, OSC 52 and CRLF in errorCode and errorMessage gives a GenerationFailedError that holds none of them raw', async () => {
    const genlook = client(answering(json(failed('gen_1', errorCode, errorMessage))));
    const error = await genlook.waitFor('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenerationFailedError);
    expectSafe(error);
    const failure = error as GenerationFailedError;
    expect(failure.errorCode).toBe('E\\u{1b}[2J[redacted]');
    expect(failure.errorMessage).toBe('bad key [redacted] \\u{1b}]52;c;ZXZpbA==\\u{7}\\u{d}\\u{a}FAKE LOG LINE');
    // The generation it carries is the decoded, safe one (what the proxy and the CLI relay).
    expect(failure.generation.errorMessage).toBe(failure.errorMessage);
    // No line of the stack starts with the forged log line.
    expect((failure.stack ?? '').split('\n').some((line) => line.startsWith('FAKE'))).toBe(false);
  });

  it('the same generation reaches subscribers of generation$ (and so the proxy and the CLI) in its safe form', async () => {
    const genlook = client(answering(json(failed('gen_1', errorCode, errorMessage))));
    const error = await lastValueFrom(genlook.generation$('gen_1')).catch((caught: unknown) => caught);
    const line = jsonLine(errorEvent('gen_1', error, 1));
    expect(line).not.toContain(KEY);
    expect(line.slice(0, -1)).not.toMatch(RAW);
  });

  it("the timeout error's last status holds neither the key nor a raw control", async () => {
    const genlook = client(answering(json({ ...pending('gen_1'), status: `WAIT${ESC}[31m${KEY}\r\n` })));
    const error = await genlook.waitFor('gen_1', { timeout: 50 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenerationTimeoutError);
    expect((error as GenerationTimeoutError).lastStatus).toBe('WAIT\\u{1b}[31m[redacted]\\u{d}\\u{a}');
    expectSafe(error);
  });

  it('LRM, RLM and ALM are escaped like the other bidi controls (defect 13)', async () => {
    const genlook = client(answering(json(failed('gen_1', 'X', 'a\u200eb\u200fc\u061cd\u202ee\u2067f'))));
    const error = (await genlook.waitFor('gen_1').catch((caught: unknown) => caught)) as GenerationFailedError;
    expect(error.errorMessage).toBe('a\\u{200e}b\\u{200f}c\\u{61c}d\\u{202e}e\\u{2067}f');
  });

  it('a result link is http(s) on every status: javascript: on FAILED and PROCESSING is an invalid answer (defect 9)', async () => {
    for (const status of ['FAILED', 'PROCESSING', 'PENDING', 'NEW_STATUS']) {
      const genlook = client(answering(json({ ...pending('gen_1'), status, resultImageUrl: 'javascript:alert(document.cookie)' })));
      const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GenlookResponseError);
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'resultImageUrl' })] });
    }
  });

  it('a result link reaches users serialised: controls, spaces and bidi marks percent-encoded, the key redacted', async () => {
    const genlook = client(answering(json({ ...pending('gen_1'), status: 'COMPLETED', resultImageUrl: `https://img.example/a${ESC}[2J\u202e b?k=${KEY}` })));
    const generation = await genlook.retrieve('gen_1');
    expect(generation.resultImageUrl).toBe('https://img.example/a%1B[2J%E2%80%AE%20b?k=[redacted]');
  });
});

describe('redaction happens before any cut (issue 21, defect 2)', () => {
  it('a key straddling the 200-character cut of the excerpt leaves nothing of itself', () => {
    for (let before = 150; before <= 205; before++) {
      const body = `{"note": "${'x'.repeat(before)}${KEY} tail"`; // not JSON: shown as the excerpt only
      const excerpt = bodyExcerpt(body, KEY);
      for (const piece of KEY_PIECES) expect(excerpt).not.toContain(piece);
      expect(excerpt.length).toBeLessThanOrEqual(200);
    }
  });

  it('a key straddling the 500-character cut of a message leaves nothing of itself', () => {
    for (let before = 460; before <= 505; before++) {
      const text = serverText(`${'m'.repeat(before)}${KEY}`, KEY);
      for (const piece of KEY_PIECES) expect(text).not.toContain(piece);
    }
  });

  it('is a fixed point: the safe form passed again is unchanged (decoder and error constructor agree)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 700, size: 'max' }), (text) => {
        const once = serverText(text, KEY);
        expect(serverText(once, KEY)).toBe(once);
        expect(once.length).toBeLessThanOrEqual(500);
      }),
      { endOnFailure: true }, // shrinking 700-character strings takes minutes
    );
  });
});

describe('ids a server returns are validated without quoting them (issue 21, defect 2)', () => {
  const hostileId = `${KEY} ${ESC}[2J`;

  it('createTryOn refuses a creation answered with generationId "<key> ESC[2J" and shows neither', async () => {
    const genlook = client(answering(json({ generationId: hostileId, status: 'PENDING' })));
    const error = await genlook.createTryOn(tryOnRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'generationId' })] });
    expectSafe(error);
  });

  it('tryOn$ fails the same way, without the key in its message', async () => {
    const genlook = client(answering(json({ generationId: hostileId, status: 'PENDING' })));
    const error = await lastValueFrom(genlook.tryOn$(tryOnRequest())).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookResponseError);
    expectSafe(error);
  });

  it('a read answered about another, hostile id says so without the key or a control', async () => {
    const genlook = client(answering(json(pending(`gen_${KEY}`))));
    const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'generationId' })] });
    expectSafe(error);
  });
});

/** Strings a hostile server sends: any code units, escape sequences, bidi marks, with the key anywhere in them. */
const hostileText = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom(`${ESC}[2J`, `${ESC}]52;c;ZXZpbA==\u0007`, `${ESC}]0;pwned\u0007`, '\u009b31m', '\r\nFAKE LOG', '\u202e', '\u2066', '\u200e', '\u200f', '\u061c', '\u2028', '\u0000'),
        fc.string({ maxLength: 300 }),
      ),
      { maxLength: 6 },
    ),
    fc.nat({ max: 620 }),
    fc.boolean(),
  )
  .map(([parts, at, withKey]) => {
    const text = parts.join('');
    const padded = text.length < at ? text.padEnd(at, 'p') : text;
    return withKey ? `${padded.slice(0, at)}${KEY}${padded.slice(at)}` : padded;
  });

describe('property: no output surface carries the key or a raw control, whatever the server sends', () => {
  const row = (id: string): WatchRow => ({ generationId: id, status: 'PENDING', startedAt: 0, endedAt: undefined, detail: '', outcome: 'running' });
  /** The NDJSON line and the table of the CLI for a watch that ended with `error`, after `statuses`. */
  const cliOutput = (error: unknown, statuses: Parameters<typeof statusEvent>[0][]) => {
    const watched = row('gen_1');
    const lines: string[] = [];
    for (const generation of statuses) {
      const event = statusEvent(generation, 1);
      lines.push(jsonLine(event));
      applyEvent(watched, event, 1);
    }
    const event = errorEvent('gen_1', error, 2);
    lines.push(jsonLine(event));
    applyEvent(watched, event, 2);
    return { ndjson: lines.join(''), table: renderTable([watched], { now: 3, tick: 0, color: false, width: 10_000 }) };
  };
  const expectCliSafe = (output: { ndjson: string; table: string }) => {
    for (const text of [output.ndjson, output.table]) {
      expect(text).not.toContain(KEY);
      expect(text.replaceAll('\n', ' ')).not.toMatch(RAW);
    }
  };

  it('a FAILED generation: message, String, stack, JSON, inspect, NDJSON and the table', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (code, message, status) => {
        const answers = [json({ ...pending('gen_1'), status: `P${status}` }), json(failed('gen_1', code, message))];
        const genlook = client(answering((call) => answers[Math.min(call, 1)]!));
        const seen: Parameters<typeof statusEvent>[0][] = [];
        const error = await new Promise<unknown>((resolve) => genlook.generation$('gen_1', { pollInterval: 1 }).subscribe({ next: (value) => seen.push(value), error: resolve }));
        expect(error).toBeInstanceOf(GenerationFailedError);
        expectSafe(error);
        expectCliSafe(cliOutput(error, seen));
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('an error body (code, message, details) and a body that is not JSON', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, fc.constantFrom(400, 403, 404, 429, 503), fc.boolean(), async (code, message, detail, status, isJson) => {
        const body = isJson ? JSON.stringify({ code, message, status, details: [{ path: detail, message: detail }] }) : `<html>${message}</html>`;
        const genlook = client(answering({ status, headers: {}, body }));
        const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
        expectSafe(error);
        expectCliSafe(cliOutput(error, []));
        const invalid = await client(answering({ status: 200, headers: {}, body: `${body}{` })).retrieve('gen_1').catch((caught: unknown) => caught);
        expect(invalid).toBeInstanceOf(GenlookResponseError);
        expectSafe(invalid);
        for (const piece of KEY_PIECES) expect((invalid as GenlookResponseError).excerpt).not.toContain(piece);
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('a network error whose message and cause chain (any depth, AggregateError.errors) quote the key', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, fc.nat({ max: 6 }), async (outer, inner, depth) => {
        let cause: Error = new AggregateError([new Error(inner), Object.assign(new Error(outer), { code: inner })], inner);
        for (let level = 0; level < depth; level++) cause = new Error(level % 2 === 0 ? inner : outer, { cause });
        const genlook = client({ request: () => Promise.reject(new Error(outer, { cause })) });
        const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
        expectSafe(error);
        expectSafe((error as Error).cause);
        expectCliSafe(cliOutput(error, []));
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
