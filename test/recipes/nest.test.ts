import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, tryOnRequest, useSimulator } from '../helpers/simulator.js';
import { readEvents } from '../helpers/server-sent-events.js';
import { appModule } from './nest-recipe.js';

describe('NestJS 11 recipe (docs/nestjs.md)', () => {
  const sim = useSimulator();
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function startApp(simulator: { baseUrl: string; apiKey: string }) {
    app = await NestFactory.create(appModule(() => ({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, pollInterval: 30, rateLimit: false })), { logger: false });
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  it('relays a generation as server-sent events: one per status, a final event, then the stream closes', async () => {
    const simulator = await sim.start({ timeScale: 0.05 });
    const url = await startApp(simulator);
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 3_000, status: 'PROCESSING' }, { at: 6_000, status: 'COMPLETED' }]);
    const events = await readEvents(`${url}/try-ons/${id}/events`);
    expect(events.map((event) => [event.type, event.data.status ?? event.data.outcome])).toEqual([
      ['status', 'PENDING'],
      ['status', 'PROCESSING'],
      ['status', 'COMPLETED'],
      ['end', 'completed'],
    ]);
    expect(events.at(-1)?.data.resultImageUrl).toMatch(/\.png$/);
  });

  it('relays FAILED as a final event, and the app survives it', async () => {
    const simulator = await sim.start({ timeScale: 0.05 });
    const url = await startApp(simulator);
    const bad = simulator.script([{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED' }]);
    const failed = await readEvents(`${url}/try-ons/${bad}/events`);
    expect(failed.at(-1)).toEqual({ type: 'end', data: expect.objectContaining({ outcome: 'failed', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED' }) });
    const missing = await readEvents(`${url}/try-ons/gen_missing/events`);
    expect(missing).toEqual([{ type: 'end', data: expect.objectContaining({ outcome: 'error', code: 'GENERATION_NOT_FOUND' }) }]);
    // Still serving.
    const good = simulator.script([{ at: 0, status: 'COMPLETED' }]);
    expect((await readEvents(`${url}/try-ons/${good}/events`)).at(-1)?.data.outcome).toBe('completed');
  });

  it('stops polling when the browser disconnects (the simulator counts it)', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const url = await startApp(simulator);
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    await readEvents(`${url}/try-ons/${id}/events`, (events) => events.length >= 1);
    await sleep(200);
    const after = simulator.requestsFor(id).requests;
    await sleep(300);
    expect(simulator.requestsFor(id).requests).toBe(after);
    expect(simulator.requestsFor(id).concurrent).toBe(0);
  });

  it('a pipeline creates a try-on and waits for it', async () => {
    const simulator = await sim.start({ timeScale: 0.05 });
    const url = await startApp(simulator);
    const ok = await request(`${url}/try-ons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tryOnRequest()) });
    expect(await ok.body.json()).toMatchObject({ status: 'COMPLETED', resultImageUrl: expect.stringMatching(/\.png$/) });
    const failing = await request(`${url}/try-ons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tryOnRequest('sim:fail:PERSON_NOT_DETECTED')) });
    expect(await failing.body.json()).toMatchObject({ status: 'FAILED', code: 'GENERATION_FAILED', errorCode: 'PERSON_NOT_DETECTED' });
  });
});
