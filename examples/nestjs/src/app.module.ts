import { type DynamicModule, Module } from '@nestjs/common';
import type { GenlookOptions } from 'genlook-rx';
import { GenlookModule } from './genlook/genlook.module';
import { TryOnsController } from './try-ons/try-ons.controller';

@Module({})
export class AppModule {
  static register(genlook: GenlookOptions): DynamicModule {
    return { module: AppModule, imports: [GenlookModule.forRoot(genlook)], controllers: [TryOnsController] };
  }
}
