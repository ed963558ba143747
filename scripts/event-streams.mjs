// The chaos soak's event streams: browsers that follow generations through genlook-rx/proxy's
// `GET /generations/{id}/events` (text/event-stream), while the proxy restarts on its port. Each browser
// does what an EventSource does: on a dropped stream it reconnects after the `retry:` delay with the last
// event id as `Last-Event-ID`. Counted: events repeated (an id a browser already had), events out of
// order (a status older than one it had), and streams that did not end with the simulator's outcome.
// Used by scripts/chaos.mjs; runs against the built package (dist/).
import { createServer } from 'node:http';
import { createGenlook } from '../dist/index.js';
import { createGenlookProxy } from '../dist/proxy/index.js';

const RANK = { PENDING: 0, PROCESSING: 1, COMPLETED: 2, FAILED: 2 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A proxy on 127.0.0.1 (`port` 0: any), with its own client of the simulator. */
async function startProxy(simulator, clientOptions, port = 0) {
  const genlook = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, ...clientOptions });
  // A reconnect 100 ms after a drop (the default `retry:` is 3 s): a browser back before the status
  // changes, so a proxy that ignored Last-Event-ID would repeat what it had sent.
  const server = createServer(createGenlookProxy({ genlook, authorize: () => true, onError: () => {}, reconnectDelay: 100 }));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    async stop() {
      server.close();
      server.closeAllConnections();
      await genlook.close();
    },
  };
}

/** The events of one text/event-stream body, as far as it was read: `{ type, id, data }` each, and `retry`. */
async function* eventsOf(body, state) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = { type: 'message', id: undefined, data: '' };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon === 0) continue;
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.type = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') event.data += value;
        else if (field === 'retry') state.retry = Number(value);
      }
      if (event.data !== '') yield event;
    }
  }
}

/**
 * Follows `id` at the proxy's `origin()` as a browser's EventSource would, until an `end` event or a 204.
 * Returns what it saw: the event ids in order, the end's outcome, and how many connections it made.
 */
async function follow(origin, id, signal, seen) {
  const state = { retry: 250 };
  let lastEventId;
  let outcome;
  let connections = 0;
  while (!signal.aborted) {
    connections++;
    try {
      const response = await fetch(`${origin()}/generations/${encodeURIComponent(id)}/events`, { headers: lastEventId ? { 'last-event-id': lastEventId } : {}, signal });
      if (response.status === 204) break;
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      for await (const event of eventsOf(response.body, state)) {
        if (event.id !== undefined) {
          seen.push(event.id);
          lastEventId = event.id;
        }
        if (event.type === 'end') outcome = JSON.parse(event.data).outcome;
      }
      if (outcome !== undefined) break;
    } catch {
      // A refused or dropped connection: as an EventSource, try again after the retry delay.
    }
    await sleep(state.retry);
  }
  return { seen, outcome, connections };
}

/**
 * Starts a proxy and returns `follow(id)` (a browser on `id`), `restart()` (the proxy stopped, its
 * connections cut, and a new one with a new client started on the same port), `restartOnceSeen(atMs)`
 * (a restart no sooner than `atMs` from now, once every stream followed so far has had an event or
 * ended: a fact, not a time) and `summary()`.
 */
export async function startEventStreams(simulator, clientOptions) {
  let proxy = await startProxy(simulator, clientOptions);
  const { port } = proxy;
  const controller = new AbortController();
  const streams = [];
  let restarts = 0;
  let openAtRestart = 0;
  const restartedAt = [];
  const started = Date.now();
  return {
    follow(id) {
      const seen = [];
      const stream = { id, seen, isDone: false };
      stream.result = follow(() => `http://127.0.0.1:${port}`, id, controller.signal, seen).finally(() => (stream.isDone = true));
      streams.push(stream);
    },
    async restart() {
      openAtRestart += streams.filter((stream) => !stream.isDone).length;
      restartedAt.push(Date.now() - started);
      await proxy.stop();
      proxy = await startProxy(simulator, clientOptions, port);
      restarts++;
    },
    async restartOnceSeen(atMs) {
      await sleep(atMs);
      while (!controller.signal.aborted && !streams.every((stream) => stream.isDone || stream.seen.length > 0)) await sleep(20);
      if (!controller.signal.aborted) await this.restart();
    },
    /** Waits for every stream to end, then counts; the proxy is stopped. */
    async summary() {
      const ended = await Promise.all(streams.map(async ({ id, result }) => ({ id, ...(await result) })));
      controller.abort();
      await proxy.stop();
      const totals = { streams: ended.length, restarts, restartedAtMs: restartedAt, openAtRestart, events: 0, reconnects: 0, repeated: 0, outOfOrder: 0, wrongOrMissingOutcome: 0 };
      for (const { id, seen, outcome, connections } of ended) {
        totals.events += seen.length;
        totals.reconnects += connections - 1;
        totals.repeated += seen.length - new Set(seen).size;
        totals.outOfOrder += seen.filter((status, index) => index > 0 && RANK[status] < RANK[seen[index - 1]]).length;
        const expected = simulator.outcomeOf(id)?.status === 'COMPLETED' ? 'completed' : 'failed';
        if (outcome !== expected) totals.wrongOrMissingOutcome++;
      }
      return totals;
    },
  };
}
