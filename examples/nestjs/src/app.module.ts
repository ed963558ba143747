import { type DynamicModule, Module } from '@nestjs/common';
import type { GenlookOptions } from 'genlook-rx';
import { GenlookModule } from 'genlook-rx/nestjs';
import { TryOnsController } from './try-ons/try-ons.controller.js';

@Module({})
export class AppModule {
  /** The app with its one Genlook client (global: any provider can `@InjectGenlook()`). */
  static register(genlook: GenlookOptions): DynamicModule {
    return { module: AppModule, imports: [GenlookModule.forRoot(genlook)], controllers: [TryOnsController] };
  }
}
