import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createGenlookProxy, type GenlookProxyOptions, type ProxyAccess } from '../src/proxy/index.js';
import type { SimulatorOptions } from '../src/simulator/index.js';
import { until, useSimulator } from './helpers/simulator.js';
import { type Answer, send, useServers } from './proxy/http.js';

/** A promise that resolves when `count` callers have reached it: every request waits there, then all go at once. */
function barrier(count: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive: () => {
      if (++arrived === count) open();
      return opened;
    },
  };
}

describe('genlook-rx/proxy: plain reads are merged, shared fairly between callers and bounded in time', () => {
  const sim = useSimulator();
  const { serve } = useServers();

  async function setUp(options: Partial<GenlookProxyOptions> = {}, simulatorOptions: SimulatorOptions = {}) {
    const simulator = await sim.start(simulatorOptions);
    const genlook = sim.client(simulator, { retry: false });
    // The caller is named by a header here, as an app's session would name the signed-in user.
    const proxy = createGenlookProxy({ genlook, authorize: () => true, callerOf: (request: IncomingMessage) => String(request.headers['x-user']), ...options });
    const { origin } = await serve((req, res) => proxy(req, res));
    const read = (id: string, user: string) => send(origin, 'GET', `/generations/${id}`, { headers: { 'x-user': user } });
    return { simulator, origin, read };
  }

  it('concurrent GETs of one id are answered by one upstream request; the next GET after it asks again (nothing cached)', async () => {
    const gate = barrier(20);
    const { simulator, read } = await setUp({ authorize: () => gate.arrive().then(() => true) });
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    // All 20 pass authorize at once, so every one of them arrives while the first read is in flight.
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => read(id, `user-${index % 3}`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.every((answer) => answer.json.generationId === id && answer.json.status === 'PENDING')).toBe(true);
    expect(simulator.requestsFor(id).requests).toBe(1);
    expect((await read(id, 'user-0')).status).toBe(200);
    expect(simulator.requestsFor(id).requests).toBe(2);
  });

  it.each([
    ['named by callerOf', false],
    ['named by the grant authorize returns', true],
  ])("40 concurrent reads of one caller's ids cost one upstream read per id in flight and delay another caller by at most one slot (caller %s)", async (_named, byGrant) => {
    const concurrentReads = 2;
    const flood = barrier(80);
    const user = (request: IncomingMessage) => String(request.headers['x-user']);
    const verdict = (request: IncomingMessage) => (byGrant ? { caller: user(request) } : true);
    const { simulator, read } = await setUp(
      {
        concurrentReads,
        // With the grant, callerOf names everyone alike: only the grant tells the callers apart.
        ...(byGrant ? { callerOf: () => 'everyone' } : {}),
        authorize: ({ request }: ProxyAccess) => (user(request) === 'mallory' ? flood.arrive().then(() => verdict(request)) : verdict(request)),
      },
      { faults: { latency: { min: 100, max: 100 } } },
    );
    const own = Array.from({ length: 40 }, () => simulator.script([{ at: 0, status: 'PENDING' }]));
    const same = simulator.script([{ at: 0, status: 'PENDING' }]);
    const theirs = simulator.script([{ at: 0, status: 'PENDING' }]);
    // Mallory: 40 reads of one id of hers, and one read of each of 40 other ids of hers, all at once.
    const flooding = Promise.all([...own.map((id) => read(id, 'mallory')), ...Array.from({ length: 40 }, () => read(same, 'mallory'))]);
    await until(() => simulator.stats().generationRequests >= concurrentReads, 'the flood took every slot');
    const alice: Answer = await read(theirs, 'alice');
    const floodServedBeforeAlice = own.reduce((sum, id) => sum + simulator.requestsFor(id).requests, 0) + simulator.requestsFor(same).requests;
    expect(alice.status).toBe(200);
    // Alice waited for one slot to free: at most the reads in flight when she came and those started
    // beside hers went first, not Mallory's 41 queued upstream reads.
    expect(floodServedBeforeAlice).toBeLessThanOrEqual(2 * concurrentReads + 1);
    const answers = await flooding;
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    // Her 40 reads of one id were one upstream read; each other id was read once.
    expect(simulator.requestsFor(same).requests).toBe(1);
    expect(own.map((id) => simulator.requestsFor(id).requests)).toEqual(Array(40).fill(1));
    expect(simulator.stats().maxConcurrentPerId).toBe(1);
  });

  it('a read that waits longer than maxWait is answered 503 with Retry-After, and its upstream request is aborted', async () => {
    const { simulator, read } = await setUp({ maxWait: 300 }, { faults: { latency: { min: 10_000, max: 10_000 } } });
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const answer = await read(id, 'alice');
    expect(answer).toMatchObject({ status: 503, json: { code: 'PROXY_BUSY', status: 503, message: expect.any(String) } });
    expect(answer.headers['retry-after']).toBe('1');
    await until(() => simulator.requestsFor(id).aborted === 1, 'the API saw the read aborted');
  });

  it('a read goes on while one browser still waits for it, and is aborted when the last one goes', async () => {
    const closedSockets: string[] = [];
    const simulator = await sim.start({ faults: { latency: { min: 1_000, max: 1_000 } } });
    const proxy = createGenlookProxy({ genlook: sim.client(simulator, { retry: false }), authorize: () => true });
    const { origin } = await serve((req, res) => proxy(req, res), { onConnection: (socket) => socket.on('close', () => closedSockets.push('closed')) });
    const { request } = await import('node:http');
    const leave = (id: string) => {
      const outgoing = request({ host: '127.0.0.1', port: new URL(origin).port, path: `/generations/${id}` });
      outgoing.on('error', () => {});
      outgoing.end();
      return outgoing;
    };
    const kept = simulator.script([{ at: 0, status: 'PENDING' }]);
    const leaving = [leave(kept), leave(kept)];
    const staying = send(origin, 'GET', `/generations/${kept}`);
    await until(() => simulator.requestsFor(kept).requests === 1, 'the read reached the API');
    for (const browser of leaving) browser.destroy();
    await until(() => closedSockets.length === 2, 'the proxy saw two browsers go');
    expect((await staying).status).toBe(200);
    expect(simulator.requestsFor(kept)).toMatchObject({ requests: 1, aborted: 0 });

    const abandoned = simulator.script([{ at: 0, status: 'PENDING' }]);
    const all = [leave(abandoned), leave(abandoned), leave(abandoned)];
    await until(() => simulator.requestsFor(abandoned).requests === 1, 'the read reached the API');
    for (const browser of all) browser.destroy();
    await until(() => simulator.requestsFor(abandoned).aborted === 1, 'the API saw the read aborted');
    expect(simulator.requestsFor(abandoned).requests).toBe(1);
  });
});
