import { NestFactory } from '@nestjs/core';
import type { Genlook, GenlookOptions } from 'genlook-rx';
import { GENLOOK } from 'genlook-rx/nestjs';
import { createGenlookProxy } from 'genlook-rx/proxy';
import { AppModule } from './app.module.js';
import { ConfigurationError, genlookOptionsFromEnv } from './genlook-options.js';

async function bootstrap() {
  let options: GenlookOptions;
  try {
    options = genlookOptionsFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // One clear line, before Nest starts: not a stack trace per request later.
    console.error(`genlook-nest: ${error.message}`);
    process.exit(1);
  }
  const app = await NestFactory.create(AppModule.register(options));
  app.enableShutdownHooks();
  // The route a browser app polls instead of Genlook: the key is added here, on the server.
  const genlook = app.get<Genlook>(GENLOOK);
  app.use('/api/genlook', createGenlookProxy({ genlook, authorize: () => true }));
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`genlook-nest listening on ${await app.getUrl()}`);
}
await bootstrap();
