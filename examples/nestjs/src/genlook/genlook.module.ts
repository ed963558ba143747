import { type DynamicModule, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { createGenlook, type Genlook, type GenlookOptions } from 'genlook-rx';

/** The injection token of the app's one Genlook client. */
export const GENLOOK = Symbol('GENLOOK');

/** Closes the client (its timers and connections) when the app shuts down. */
@Injectable()
class GenlookLifecycle implements OnModuleDestroy {
  constructor(@Inject(GENLOOK) private readonly genlook: Genlook) {}

  onModuleDestroy(): Promise<void> {
    return this.genlook.close();
  }
}

/**
 * One client per app: one budget (the account's 100 requests a minute) and one poll per generation,
 * however many browsers watch it.
 */
@Module({})
export class GenlookModule {
  static forRoot(options: GenlookOptions): DynamicModule {
    return {
      module: GenlookModule,
      global: true,
      providers: [{ provide: GENLOOK, useFactory: () => createGenlook(options) }, GenlookLifecycle],
      exports: [GENLOOK],
    };
  }
}
