import { asyncScheduler, type Observable } from 'rxjs';
import { expectTypeOf } from 'vitest';
import {
  type CompletedGeneration,
  createGenlook,
  createMemoryBudget,
  type FailedGeneration,
  type Generation,
  GenerationFailedError,
  type GenerationStatus,
  generation$,
  type Genlook,
  GenlookApiError,
  GenlookError,
  type GenlookErrorCode,
  type RateBudget,
  GenlookNetworkError,
  isCompleted,
  isGenlookError,
  isTransientError,
  retryTransient,
  type SettledGeneration,
  timeoutGeneration,
  untilTerminal,
} from '../src/index.js';
import { completed, createTestGenlook, failed, pending } from '../src/testing/index.js';
import { Redis } from 'ioredis';
import { type GenlookRedisWarning, redisBudget, redisCoordinator } from '../src/redis/index.js';

const genlook = createGenlook({ apiKey: 'gk_x' });
expectTypeOf(genlook).toEqualTypeOf<Genlook>();
expectTypeOf(genlook.generation$('g')).toEqualTypeOf<Observable<Generation>>();
expectTypeOf(generation$('g')).toEqualTypeOf<Observable<Generation>>();
expectTypeOf(genlook.generations$(['a', 'b'])).toEqualTypeOf<Observable<Generation[]>>();
expectTypeOf(genlook.generationsSettled$(['a'])).toEqualTypeOf<Observable<SettledGeneration[]>>();
expectTypeOf(genlook.waitFor('g')).toEqualTypeOf<Promise<CompletedGeneration>>();
expectTypeOf(genlook.retrieve('g')).toEqualTypeOf<Promise<Generation>>();
expectTypeOf(genlook.close()).toEqualTypeOf<Promise<void>>();
expectTypeOf<CompletedGeneration['resultImageUrl']>().toEqualTypeOf<string>();
expectTypeOf<FailedGeneration['status']>().toEqualTypeOf<'FAILED'>();
expectTypeOf<'PENDING'>().toExtend<GenerationStatus>();
expectTypeOf<'SOMETHING_NEW'>().toExtend<GenerationStatus>();

// Operators keep the element type and chain on any Observable<Generation>.
expectTypeOf(genlook.generation$('g').pipe(untilTerminal(), timeoutGeneration(1000), retryTransient(3))).toEqualTypeOf<Observable<Generation>>();

// Narrowing.
declare const some: Generation;
if (isCompleted(some)) expectTypeOf(some.resultImageUrl).toEqualTypeOf<string>();
declare const caught: unknown;
if (isGenlookError(caught)) expectTypeOf(caught.code).toExtend<GenlookErrorCode>();
expectTypeOf<GenerationFailedError['code']>().toEqualTypeOf<'GENERATION_FAILED'>();
expectTypeOf<GenlookNetworkError['code']>().toEqualTypeOf<'NETWORK_ERROR' | 'REQUEST_TIMEOUT'>();
expectTypeOf<'INSUFFICIENT_CREDITS'>().toExtend<GenlookApiError['code']>();
expectTypeOf<'A_CODE_THE_SERVER_ADDS_LATER'>().toExtend<GenlookApiError['code']>();
declare const failure: GenerationFailedError;
// @ts-expect-error a typo in a literal code fails to compile
if (failure.code === 'GENERATION_FAILD') void failure;
declare const network: GenlookNetworkError;
if (network.code === 'REQUEST_TIMEOUT') expectTypeOf(network.code).toEqualTypeOf<'REQUEST_TIMEOUT'>();
// instanceof narrows (Symbol.hasInstance keeps the type predicate).
if (caught instanceof GenlookApiError) expectTypeOf(caught.status).toEqualTypeOf<number>();
if (isTransientError(caught)) expectTypeOf(caught).toExtend<GenlookError>();
if (caught instanceof GenerationFailedError) expectTypeOf(caught.errorCode).toEqualTypeOf<string | undefined>();

declare const entry: SettledGeneration;
if (entry.outcome === 'completed') expectTypeOf(entry.generation).toEqualTypeOf<CompletedGeneration>();
if (entry.outcome === 'failed') expectTypeOf(entry.error).toEqualTypeOf<GenlookError>();

// Factories and the test client.
expectTypeOf(completed('g')).toEqualTypeOf<CompletedGeneration>();
expectTypeOf(failed('g', 'CODE')).toEqualTypeOf<FailedGeneration>();
expectTypeOf(pending('g')).toEqualTypeOf<Generation>();
expectTypeOf(createTestGenlook().genlook).toEqualTypeOf<Genlook>();

// Bad options are type errors too.
// @ts-expect-error pollInterval is a number
createGenlook({ pollInterval: '2s' });
// @ts-expect-error rateLimit takes an object, a budget or false
createGenlook({ rateLimit: true });
// @ts-expect-error ids are strings
genlook.generation$(42);

// The fleet entry takes ioredis clients as they are, and plugs into the client's options.
const redis = new Redis({ lazyConnect: true });
const coordinator = redisCoordinator({ redis, leaseMs: 5_000 });
expectTypeOf(coordinator.warnings$).toEqualTypeOf<Observable<GenlookRedisWarning>>();
expectTypeOf(createGenlook({ rateLimit: redisBudget({ redis }), coordinator })).toEqualTypeOf<Genlook>();
// @ts-expect-error a coordinator has join()
createGenlook({ coordinator: {} });

// A budget is reached through `take`, or its own `slot$` (emits once on the grant; optional).
expectTypeOf<NonNullable<RateBudget['slot$']>>().returns.toEqualTypeOf<Observable<void>>();
createGenlook({ rateLimit: { take: (grant) => (grant(), () => {}), reportRateLimited() {} } });
