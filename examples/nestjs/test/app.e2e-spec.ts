import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types.js';
import { startSimulator, type Simulator } from 'genlook-rx/simulator';
import { AppModule } from './../src/app.module.js';

describe('TryOnsController (e2e)', () => {
  let simulator: Simulator;
  let app: INestApplication<App>;

  beforeEach(async () => {
    simulator = await startSimulator({ timeScale: 0.05 });
    const moduleFixture: TestingModule = await Test.createTestingModule({
      // Polls every 100 ms, so a try-on of the simulator (0.5 s here) is waited for in about a second.
      imports: [AppModule.register({ apiKey: simulator.apiKey, baseUrl: simulator.baseUrl, pollInterval: 100 })],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('/try-ons (POST) creates a try-on and answers 201 with the result', () => {
    return request(app.getHttpServer())
      .post('/try-ons')
      .send({ products: [{ externalId: 'sku-1' }], person: { image: { source: { url: 'https://images.example/person.jpg' } } } })
      .expect(201)
      .expect(({ body }) => {
        expect(body.status).toBe('COMPLETED');
        expect(body.resultImageUrl).toMatch(/\/results\//);
      });
  }, 30_000);

  it('/try-ons (POST) answers 400 with the details for an invalid body, and spends no credit', async () => {
    await request(app.getHttpServer())
      .post('/try-ons')
      .send({ products: [], person: {} })
      .expect(400)
      .expect(({ body }) => {
        expect(body.code).toBe('INVALID_REQUEST');
        expect(body.details.length).toBeGreaterThan(0);
      });
    expect(simulator.stats().createRequests).toBe(0);
  });

  afterEach(async () => {
    await app.close();
    await simulator.close();
  });
});
