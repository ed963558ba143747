// The hand-written loops a user would write instead: over global fetch (what SDK waitFor helpers do),
// over undici.request with a shared keep-alive Agent (the bare-metal reference), and with exponential
// backoff (2 s to 120 s, full jitter, as AWS waiters do).
import { Agent, request } from 'undici';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TERMINAL = new Set(['COMPLETED', 'FAILED']);

function loopVariant(read, delayOf) {
  return (ids, { baseUrl, apiKey, interval, onEmit }) => {
    const one = async (id) => {
      let last;
      for (let attempt = 0; ; attempt++) {
        let body;
        try {
          body = await read(`${baseUrl}/generations/${encodeURIComponent(id)}`, apiKey);
        } catch {
          body = undefined;
        }
        if (body?.status && body.status !== last) {
          last = body.status;
          onEmit(id, body.status, body.updatedAt);
        }
        if (TERMINAL.has(last)) return;
        await sleep(delayOf(attempt, interval));
      }
    };
    return { done: Promise.all(ids.map(one)), add: one, close: async () => {} };
  };
}

export const fetchLoop = loopVariant(async (url, apiKey) => {
  const response = await fetch(url, { headers: { 'x-api-key': apiKey } });
  const body = await response.json();
  return response.ok ? body : undefined;
}, (_attempt, interval) => interval);

const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
export const undiciLoop = loopVariant(async (url, apiKey) => {
  const response = await request(url, { dispatcher: agent, headers: { 'x-api-key': apiKey } });
  const body = await response.body.json();
  return response.statusCode === 200 ? body : undefined;
}, (_attempt, interval) => interval);

export const backoffLoop = loopVariant(async (url, apiKey) => {
  const response = await fetch(url, { headers: { 'x-api-key': apiKey } });
  const body = await response.json();
  return response.ok ? body : undefined;
}, (attempt) => {
  const cap = Math.min(120_000, 2_000 * 2 ** attempt);
  return 2_000 + Math.random() * (cap - 2_000);
});
