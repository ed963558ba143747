import { afterEach, describe, expect, it } from 'vitest';
import { createGenlookProxy } from '../src/proxy/index.js';
import { EventSourceClient, type EventSourceLog, type ServerSentEvent } from './helpers/server-sent-events.js';
import { useSimulator } from './helpers/simulator.js';
import { useServers } from './proxy/http.js';
import { type ProxyProcess, startProxyProcess } from './proxy/proxy-processes.js';

// PENDING, PROCESSING at 1.5 s, COMPLETED at 3 s (at the simulator's time scale of 0.02): time for a
// restart in the middle on a loaded machine.
const TIMELINE = [{ at: 0, status: 'PENDING' }, { at: 75_000, status: 'PROCESSING' }, { at: 150_000, status: 'COMPLETED' }];

/** Every status once, in order, then the end: what a browser must see across any number of reconnects. */
function expectEveryLaterStatusOnce(log: EventSourceLog) {
  const ids = log.events.map((event: ServerSentEvent) => event.id);
  expect(new Set(ids).size).toBe(ids.length);
  const order = ['PENDING', 'PROCESSING', 'COMPLETED'];
  expect(ids.map((id) => order.indexOf(id))).toEqual([...ids.map((id) => order.indexOf(id))].sort());
  expect(ids.every((id) => order.includes(id))).toBe(true);
  expect(log.events.at(-1)).toMatchObject({ type: 'end', id: 'COMPLETED', data: { outcome: 'completed' } });
  // Each reconnect sent what the browser had seen last.
  for (const connection of log.connections.slice(1)) expect(connection.lastEventId).toBe(log.events.slice(0, connection.eventsSeen).at(-1)?.id);
}

describe('genlook-rx/proxy: a restart in the middle of a stream', () => {
  const sim = useSimulator();
  const { serve } = useServers();
  const processes: ProxyProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((process) => process.kill()));
  });

  it('a browser whose proxy crashes reconnects to another instance with Last-Event-ID and gets every later status once, and the outcome', async () => {
    const simulator = await sim.start();
    const [a, b] = await Promise.all([startProxyProcess(simulator, { pollInterval: 20 }), startProxyProcess(simulator, { pollInterval: 20 })]);
    processes.push(a!, b!);
    // Scripted once the processes are up (starting them may take seconds on a loaded machine).
    const id = simulator.script(TIMELINE);
    const client = new EventSourceClient([`${a!.origin}/generations/${id}/events`, `${b!.origin}/generations/${id}/events`], {
      onEvent: (_event, source) => void (source.log.events.length === 1 && a!.kill()),
    });
    const log = await client.done;
    expect(log.connections.length).toBeGreaterThanOrEqual(2);
    expect(log.connections[1]).toMatchObject({ url: expect.stringContaining(b!.origin), lastEventId: log.events[0]!.id, status: 200 });
    expectEveryLaterStatusOnce(log);
  });

  it('a browser whose proxy restarts on the same port reconnects to it, once it is back, and misses and repeats nothing', async () => {
    const simulator = await sim.start();
    const first = await startProxyProcess(simulator, { pollInterval: 20 });
    processes.push(first);
    const id = simulator.script(TIMELINE);
    let restarted: Promise<ProxyProcess> | undefined;
    const client = new EventSourceClient([`${first.origin}/generations/${id}/events`], {
      maxConnections: 500,
      onEvent: (_event, source) => {
        if (source.log.events.length !== 1) return;
        restarted = first.kill().then(() => startProxyProcess(simulator, { pollInterval: 20, port: first.port }));
      },
    });
    const log = await client.done;
    processes.push(await restarted!);
    // Refused while the proxy was down (no status), then one stream on the new process.
    expect(log.connections.filter((connection) => connection.status === 200).length).toBeGreaterThanOrEqual(2);
    expectEveryLaterStatusOnce(log);
  });

  it('a proxy that shuts down (its client closed) ends its streams without an end event, so browsers resume elsewhere', async () => {
    const simulator = await sim.start();
    const id = simulator.script(TIMELINE);
    const closing = sim.client(simulator);
    const proxyA = createGenlookProxy({ genlook: closing, authorize: () => true, reconnectDelay: 20 });
    const proxyB = createGenlookProxy({ genlook: sim.client(simulator), authorize: () => true, reconnectDelay: 20 });
    const [a, b] = await Promise.all([serve((req, res) => proxyA(req, res)), serve((req, res) => proxyB(req, res))]);
    const client = new EventSourceClient([`${a.origin}/generations/${id}/events`, `${b.origin}/generations/${id}/events`], {
      onEvent: (_event, source) => void (source.log.events.length === 1 && closing.close()),
    });
    const log = await client.done;
    expect(log.connections.map((connection) => connection.url.startsWith(b.origin))).toEqual([false, true]);
    expectEveryLaterStatusOnce(log);
  });
});
