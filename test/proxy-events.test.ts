import { connect, type Socket } from 'node:net';
import { of, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Generation, Genlook, GenlookOptions } from '../src/index.js';
import { createGenlookProxy, type GenlookProxyOptions, type ProxyAccess } from '../src/proxy/index.js';
import type { Simulator } from '../src/simulator/index.js';
import { EventSourceClient, openStream, readEvents, type ServerSentEvent } from './helpers/server-sent-events.js';
import { until, useSimulator } from './helpers/simulator.js';
import { send, useServers } from './proxy/http.js';

describe('genlook-rx/proxy: GET /generations/{id}/events', () => {
  const sim = useSimulator();
  const { serve } = useServers();
  const watches: Subscription[] = [];
  afterEach(() => watches.splice(0).forEach((watch) => watch.unsubscribe()));

  // `sweeps: false` where a test counts each id's own reads as the sign that its loop runs: with sweeps,
  // pending ids are read by GET /generations instead (test/sweeps-end-to-end.test.ts).
  async function setUp(options: Partial<GenlookProxyOptions> = {}, onConnection?: (socket: Socket) => void, clientOptions: GenlookOptions = {}) {
    const simulator = await sim.start();
    const genlook = sim.client(simulator, clientOptions);
    const access: ProxyAccess[] = [];
    const proxy = createGenlookProxy({ genlook, authorize: (asked) => (access.push(asked), true), keepaliveInterval: 60_000, reconnectDelay: 20, ...options });
    const { origin, openConnections } = await serve((req, res) => proxy(req, res), { onConnection });
    return { simulator, genlook, origin, access, openConnections, events: (id: string) => `${origin}/generations/${encodeURIComponent(id)}/events` };
  }

  /** A loop of `id` watched directly on the same client: the reference of what one poll loop costs, and a clock made of requests. */
  function referenceLoop(genlook: Genlook, simulator: Simulator, id: string) {
    watches.push(genlook.generation$(id).subscribe({ error: () => {} }));
    return () => simulator.requestsFor(id).requests;
  }

  it('20 browsers on one id cost one upstream poll loop; each gets the statuses in order, none twice, then the end event with the generation', async () => {
    const { simulator, genlook, events, access } = await setUp();
    // Long enough that every stream joins before the end (2 s at the simulator's time scale).
    const timeline = [{ at: 0, status: 'PENDING' }, { at: 40_000, status: 'PROCESSING' }, { at: 100_000, status: 'COMPLETED' }];
    const id = simulator.script(timeline);
    const reference = simulator.script(timeline);
    const referenceRequests = referenceLoop(genlook, simulator, reference);
    const streams = await Promise.all(Array.from({ length: 20 }, () => readEvents(events(id))));
    for (const stream of streams) {
      // A stream that joins late starts at the latest status (PROCESSING may also be missed by a poll):
      // what it gets is in order, once each, and ends with the end event.
      expect(inOrderOnce(stream)).toBe(true);
      expect(stream.at(-1)).toMatchObject({ type: 'end', id: 'COMPLETED' });
      expect(stream.at(-1)!.data).toMatchObject({ outcome: 'completed', generation: { generationId: id, status: 'COMPLETED', resultImageUrl: expect.stringMatching(/\/results\//) } });
    }
    await until(() => simulator.generation(reference)?.status === 'COMPLETED' && simulator.requestsFor(reference).concurrent === 0, 'the reference loop ended');
    const counters = simulator.requestsFor(id);
    // One loop: its reads never overlap, and it made no more reads than the reference loop made over
    // the same timeline (20 loops would make 20 times as many).
    expect(counters.maxConcurrent).toBe(1);
    expect(counters.requests).toBeLessThanOrEqual(referenceRequests() + 2);
    // authorize is asked once per stream, not per event.
    expect(access).toHaveLength(20);
    expect(access.every((asked) => asked.action === 'read' && asked.generationId === id)).toBe(true);
  });

  it('a reconnect with Last-Event-ID gets no status it has seen; after the end it is told 204 (an EventSource stops)', async () => {
    const { simulator, events } = await setUp();
    const processing = simulator.script([{ at: 0, status: 'PROCESSING' }]);
    // Seen PROCESSING: nothing to send while the loop reads PROCESSING again and again.
    const response = await openStream(events(processing), { 'last-event-id': 'PROCESSING' });
    let text = '';
    response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await until(() => simulator.requestsFor(processing).requests >= 4, 'the loop read PROCESSING four times');
    response.destroy();
    expect(text).not.toContain('event:');
    expect(text).toContain('retry: 20');
    // Seen PENDING: PROCESSING is new.
    const afterPending = await readEvents(events(processing), (seen) => seen.length === 1, { 'last-event-id': 'PENDING' });
    expect(afterPending.map((event) => [event.type, event.id])).toEqual([['status', 'PROCESSING']]);
    // Seen the end: nothing more, and a status EventSource treats as "stop reconnecting".
    for (const last of ['COMPLETED', 'FAILED']) {
      const ended = await openStream(events(processing), { 'last-event-id': last });
      ended.resume();
      expect(ended.statusCode).toBe(204);
    }
  });

  it('an idle stream gets a keepalive comment every keepaliveInterval', async () => {
    const { simulator, events } = await setUp({ keepaliveInterval: 30 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const client = new EventSourceClient([events(id)]);
    await until(() => client.log.comments >= 4, 'four keepalive comments (the first is the opening one)');
    client.close();
    expect(client.log.events.map((event) => event.id)).toEqual(['PENDING']);
    expect(client.log.connections).toHaveLength(1);
  });

  it('FAILED and errors end the stream with an end event (a safe code and message), never a broken stream', async () => {
    const { simulator, events, origin } = await setUp();
    const failed = simulator.script([{ at: 0, status: 'PENDING' }, { at: 5_000, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'The product image could not be fetched' }]);
    const failedStream = await readEvents(events(failed));
    expect(failedStream.at(-1)).toMatchObject({ type: 'end', id: 'FAILED' });
    expect(inOrderOnce(failedStream)).toBe(true);
    expect(failedStream.at(-1)!.data).toEqual({ outcome: 'failed', generation: expect.objectContaining({ generationId: failed, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'The product image could not be fetched' }) });
    const missing = await readEvents(events('gen_nobody_made'));
    expect(missing).toEqual([{ type: 'end', id: '', raw: expect.any(String), data: { outcome: 'error', error: { code: 'GENERATION_NOT_FOUND', message: expect.any(String), status: 404 } } }]);
    // A refused stream is a plain 403 (an EventSource does not retry it), with nothing sent upstream.
    const refusing = await setUp({ authorize: () => false });
    const id = refusing.simulator.script([{ at: 0, status: 'PENDING' }]);
    const refused = await send(refusing.origin, 'GET', `/generations/${id}/events`);
    expect(refused).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(refusing.simulator.requestsFor(id).requests).toBe(0);
    expect((await send(origin, 'POST', `/generations/${failed}/events`)).status).toBe(405);
  });

  it('a bug while relaying an event ends the stream with a PROXY_ERROR end event and reports it, the process unharmed', async () => {
    const reported: Array<[unknown, string]> = [];
    // A generation no client would emit (a BigInt cannot be JSON): the event cannot be written.
    const broken = { generationId: 'gen_x', status: 'PENDING', resultImageUrl: 10n, createdAt: '', updatedAt: '' } as unknown as Generation;
    const genlook = { retrieve: async () => broken, createTryOn: async () => { throw new Error('unused'); }, generation$: () => of(broken) } as unknown as Genlook;
    const proxy = createGenlookProxy({ genlook, authorize: () => true, onError: (error, context) => void reported.push([error, context.stage]) });
    const { origin } = await serve((req, res) => proxy(req, res));
    const events = await readEvents(`${origin}/generations/gen_x/events`);
    expect(events).toEqual([expect.objectContaining({ type: 'end', data: { outcome: 'error', error: { code: 'PROXY_ERROR', message: 'Internal error', status: 500 } } })]);
    expect(reported).toEqual([[expect.any(TypeError), 'internal']]);
  });

  it('hostile text in server fields cannot inject a field or an event, and no key reaches the browser', async () => {
    const { simulator, events, origin } = await setUp();
    const forged = 'bad\n\nevent: end\ndata: {"outcome":"completed"}\r\nid: COMPLETED\r\rretry: 1\n';
    const id = simulator.script([
      { at: 0, status: 'PENDING' },
      { at: 5_000, status: 'FAILED', errorCode: 'E\nid: X', errorMessage: `${forged} key ${simulator.apiKey} \u001b]52;c;AAAA\u0007 \u2028 \u202e` },
    ]);
    const response = await openStream(events(id));
    let text = '';
    response.setEncoding('utf8');
    for await (const chunk of response) text += chunk as string;
    const lines = text.split(/\r\n|\r|\n/);
    expect(lines.filter((line) => line !== '' && !/^(event|id|data|retry): |^:/.test(line))).toEqual([]);
    // PENDING when the first read came before FAILED (a loaded machine may be later), then the end.
    expect(lines.filter((line) => line.startsWith('event: ')).join()).toMatch(/^(event: status,)?event: end$/);
    expect(lines.filter((line) => line.startsWith('id: ')).join()).toMatch(/^(id: PENDING,)?id: FAILED$/);
    expect(text).not.toContain(simulator.apiKey);
    const end = JSON.parse(lines.find((line) => line.startsWith('data: {"outcome"'))!.slice('data: '.length)) as { generation: Record<string, string> };
    expect(end.generation.errorMessage).toContain('[redacted]');
    expect(end.generation.errorMessage).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(end.generation.errorCode).toBe('E\\u{a}id: X');
    // The plain GET gives the same safe text.
    const read = await send(origin, 'GET', `/generations/${id}`);
    expect(read.text).not.toContain(simulator.apiKey);
    expect(read.json.errorMessage).toBe(end.generation.errorMessage);
  });

  it('says "reconnecting" during an outage: a health event (retrying, NETWORK_ERROR) without an id, then ok', async () => {
    const { simulator, events } = await setUp({}, undefined, { sweeps: false, retry: { delay: 20, maxDelay: 50, jitter: false } });
    // PENDING for a minute of real time (the simulator runs at 0.02): the outage comes first.
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 3_000_000, status: 'COMPLETED' }]);
    let isOutageStarted = false;
    const seen = await readEvents(events(id), (so) => {
      if (!isOutageStarted && so.length === 1) {
        isOutageStarted = true;
        simulator.outage(500);
      }
      return so.some((event) => event.type === 'health' && event.data.status === 'ok');
    });
    const health = seen.filter((event) => event.type === 'health');
    expect(health.map((event) => event.data.status)).toEqual(['retrying', 'ok']);
    expect(health[0]!.data).toMatchObject({ code: 'NETWORK_ERROR', since: expect.any(Number) });
    // No id of their own: the resume point (an EventSource's lastEventId) stays the last status.
    expect(health.map((event) => event.id)).toEqual(['PENDING', 'PENDING']);
    expect(seen[0]).toMatchObject({ type: 'status', id: 'PENDING' });
  });

  it('a disconnect storm leaves no upstream loop: every poll stops when its last stream goes', async () => {
    const { simulator, genlook, events, openConnections } = await setUp({}, undefined, { sweeps: false });
    const ids = Array.from({ length: 5 }, () => simulator.script([{ at: 0, status: 'PENDING' }]));
    const clock = referenceLoop(genlook, simulator, simulator.script([{ at: 0, status: 'PENDING' }]));
    const clients = ids.flatMap((id) => Array.from({ length: 10 }, () => new EventSourceClient([events(id)])));
    await until(() => clients.every((client) => client.log.events.length === 1), 'all 50 streams saw PENDING');
    await until(() => ids.every((id) => simulator.requestsFor(id).requests >= 3), 'every id was polled a few times');
    for (const client of clients) client.close();
    await until(() => openConnections() === 0, 'the proxy saw every browser go');
    // A socket's close can reach the test's count before the proxy's response sees it: a read already
    // due may still go. Two reads of the reference loop later every stream has been let go.
    const settled = clock();
    await until(() => clock() >= settled + 2, 'two more reads of the reference loop');
    await until(() => ids.every((id) => simulator.requestsFor(id).concurrent === 0), 'no read of the ids in flight');
    const after = ids.map((id) => simulator.requestsFor(id).requests);
    // Time measured in polls of a loop that goes on: five more of its reads, none of the others.
    const start = clock();
    await until(() => clock() >= start + 5, 'five more reads of the reference loop');
    expect(ids.map((id) => simulator.requestsFor(id).requests)).toEqual(after);
  });

  it('a browser that does not read is dropped once its buffer passes maxBufferedBytes, and its poll stops', async () => {
    // Corked sockets keep every byte written in the process, as a browser that does not read does once
    // the kernel's buffers are full.
    const corked: Socket[] = [];
    const { simulator, genlook, origin, openConnections } = await setUp({ keepaliveInterval: 1, maxBufferedBytes: 2_048 }, (socket) => {
      socket.cork();
      corked.push(socket);
    }, { sweeps: false });
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const clock = referenceLoop(genlook, simulator, simulator.script([{ at: 0, status: 'PENDING' }]));
    const { port } = new URL(origin);
    const browser = connect(Number(port), '127.0.0.1');
    browser.write(`GET /generations/${id}/events HTTP/1.1\r\nhost: x\r\naccept: text/event-stream\r\n\r\n`);
    let isClosed = false;
    browser.on('close', () => (isClosed = true)).on('error', () => {});
    await until(() => simulator.requestsFor(id).requests >= 1, 'the stream polls');
    await until(() => corked.length === 1 && corked[0]!.destroyed, 'the proxy dropped the stream');
    await until(() => isClosed && openConnections() === 0, 'the browser saw its connection closed');
    const settled = clock();
    await until(() => clock() >= settled + 2, 'two more reads of the reference loop');
    await until(() => simulator.requestsFor(id).concurrent === 0, 'no read in flight');
    const after = simulator.requestsFor(id).requests;
    const start = clock();
    await until(() => clock() >= start + 5, 'five more reads of the reference loop');
    expect(simulator.requestsFor(id).requests).toBe(after);
  });
});

/** Whether a stream's ids go forward (PENDING, PROCESSING, then the end), none repeated. */
function inOrderOnce(stream: readonly ServerSentEvent[]): boolean {
  const order = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'];
  const ranks = stream.map((event) => Math.min(order.indexOf(event.id), 2));
  return ranks.every((rank, index) => rank >= 0 && (index === 0 || rank > ranks[index - 1]!));
}
