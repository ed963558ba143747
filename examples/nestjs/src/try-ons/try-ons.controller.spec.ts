import { HttpException } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { GenlookModule } from 'genlook-rx/nestjs';
import { TryOnsController } from './try-ons.controller.js';

describe('TryOnsController', () => {
  let app: TestingModule;
  let controller: TryOnsController;

  beforeEach(async () => {
    // No request leaves this test: an invalid body is refused before anything is sent.
    app = await Test.createTestingModule({
      imports: [GenlookModule.forRoot({ apiKey: 'gk_test_unit', baseUrl: 'http://127.0.0.1:9' })],
      controllers: [TryOnsController],
    }).compile();
    controller = app.get<TryOnsController>(TryOnsController);
  });

  afterEach(async () => {
    await app.close();
  });

  it('refuses an invalid try-on with 400 and the failing paths, before any credit is spent', async () => {
    const refusal = await controller.create({ products: [], person: {} }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(400);
    expect((refusal as HttpException).getResponse()).toMatchObject({ code: 'INVALID_REQUEST', details: expect.arrayContaining([expect.objectContaining({ path: 'products' })]) });
  });
});
