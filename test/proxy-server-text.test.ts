import fc from 'fast-check';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createGenlook, type TransportResponse } from '../src/index.js';
import { createGenlookProxy } from '../src/proxy/index.js';
import { failed, pending } from '../src/testing/index.js';
import { openStream } from './helpers/server-sent-events.js';
import { send, useServers } from './proxy/http.js';

// Issue 21, item 1: the proxy's answers and its event stream are output surfaces too. Whatever text a
// hostile server puts in a generation, a browser gets neither the key (nor a piece of it) nor a raw
// control, bidi mark or line separator: not in the bytes, and not in the JSON values they decode to.
const KEY = 'gk_live_Q7xZ9mW2pL4vB8nR3tY6uJ1kH5cF0dSa';
const ESC = '\u001b';
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const KEY_PIECES = Array.from({ length: KEY.length - 7 }, (_, start) => KEY.slice(start, start + 8));

const hostileText = fc
  .tuple(
    fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(`${ESC}[2J`, `${ESC}]52;c;ZXZpbA==\u0007`, '\u009b31m', '\r\nFAKE LOG', '\n\nevent: end\ndata: {}\n\n', '\u202e', '\u2066', '\u200e', '\u061c', '\u2028', '\u0000')), { maxLength: 6 }),
    fc.nat({ max: 520 }),
    fc.boolean(),
  )
  .map(([parts, at, withKey]) => {
    const text = parts.join('').padEnd(at, 'p');
    return withKey ? `${text.slice(0, at)}${KEY}${text.slice(at)}` : text;
  });

/** No piece of the key in `text`; no raw control in it (but the event stream's own line breaks) nor in any string it decodes to. */
function expectSafe(text: string, values: unknown[]): void {
  for (const piece of KEY_PIECES) expect(text).not.toContain(piece);
  expect(text.replaceAll('\n', ' ')).not.toMatch(RAW);
  const strings = (value: unknown): string[] => (typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : []);
  for (const value of values.flatMap(strings)) expect(value).not.toMatch(RAW);
}

async function readAll(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk as string;
  return text;
}

describe('property: the proxy passes on no key and no raw control, whatever the server sends (issue 21, item 1)', () => {
  const { serve } = useServers();

  it('a generation read (GET) and an event stream (status events, then the end event of a FAILED generation)', async () => {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
    const { origin } = await serve((req, res) => handler(req, res));
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (code, message, status) => {
        const json = (body: unknown): TransportResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const answers = [json({ ...pending('gen_1'), status: `P${status}` }), json({ ...pending('gen_1'), status: `P${status}` }), json(failed('gen_1', code, message))];
        let calls = 0;
        const genlook = createGenlook({ apiKey: KEY, retry: false, rateLimit: false, pollInterval: 1, cadence: 'fixed', sweeps: false, transport: { request: () => of(answers[Math.min(calls++, 2)]!) } });
        const proxy = createGenlookProxy({ genlook, authorize: () => true, keepaliveInterval: 60_000 });
        handler = (req, res) => void proxy(req, res);
        try {
          const read = await send(origin, 'GET', '/generations/gen_1');
          expect(read.status).toBe(200);
          expectSafe(read.text, [read.json]);
          const stream = await readAll(await openStream(`${origin}/generations/gen_1/events`));
          expect(stream).toMatch(/event: end\n/);
          // Exactly one end event: no server text could write a field or an event of its own.
          expect(stream.match(/^event: end$/gm)).toHaveLength(1);
          const data = stream.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as unknown);
          expectSafe(stream, data);
        } finally {
          await genlook.close();
        }
      }),
      { numRuns: 40, endOnFailure: true },
    );
  }, 60_000);
});
