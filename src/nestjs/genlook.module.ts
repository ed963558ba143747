import { type DynamicModule, Global, Inject, Module, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { createGenlook, type Genlook, type GenlookOptions } from '../internal.js';

/** The injection token of the app's one Genlook client: `@Inject(GENLOOK) genlook: Genlook`, or `@InjectGenlook()`. */
export const GENLOOK: unique symbol = Symbol.for('genlook-rx.nestjs.client');

/** Injects the app's Genlook client (`GenlookModule.forRoot`): a constructor parameter decorator. */
export const InjectGenlook = (): PropertyDecorator & ParameterDecorator => Inject(GENLOOK);

/** Settings of `GenlookModule.forRootAsync`: the client's options from other providers (a config service). */
export interface GenlookModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Makes the client's options, given the providers of `inject`. */
  useFactory: (...dependencies: any[]) => GenlookOptions | Promise<GenlookOptions>;
  /** Tokens of the providers `useFactory` receives, in order. @default [] */
  inject?: any[];
}

/**
 * One Genlook client per app, global: one rate budget (the account's 100 requests a minute) and one poll
 * per generation, however many requests or browsers watch it. Closed (timers, connections) when the app
 * shuts down, so `app.close()` and `enableShutdownHooks()` leave nothing running.
 *
 * @example
 * ```ts
 * @Module({ imports: [GenlookModule.forRoot({ apiKey: process.env.GENLOOK_API_KEY })], controllers: [TryOnsController] })
 * export class AppModule {}
 * ```
 */
@Global()
@Module({})
export class GenlookModule implements OnApplicationShutdown {
  constructor(@Inject(GENLOOK) private readonly genlook: Genlook) {}

  /** The client made from `options` (validated when the module is created: a bad option stops startup). */
  static forRoot(options: GenlookOptions = {}): DynamicModule {
    return { module: GenlookModule, providers: [{ provide: GENLOOK, useFactory: () => createGenlook(options) }], exports: [GENLOOK] };
  }

  /** The client made from options other providers give (e.g. `ConfigService`). */
  static forRootAsync(options: GenlookModuleAsyncOptions): DynamicModule {
    return {
      module: GenlookModule,
      imports: options.imports ?? [],
      providers: [{ provide: GENLOOK, inject: options.inject ?? [], useFactory: async (...dependencies: unknown[]) => createGenlook(await options.useFactory(...dependencies)) }],
      exports: [GENLOOK],
    };
  }

  /** @internal Nest's shutdown hook: closes the client. */
  onApplicationShutdown(): Promise<void> {
    return this.genlook.close();
  }
}
