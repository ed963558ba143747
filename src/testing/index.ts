/**
 * genlook-rx/testing: payload factories and a client that answers from server timelines in RxJS
 * virtual time, for marble tests of code built on genlook-rx.
 * @packageDocumentation
 */
export { completed, failed, pending, processing } from './factories.js';
export type { GenerationOverrides } from './factories.js';
export { createTestTransport } from './test-transport.js';
export type { HttpAnswer, RecordedRequest, ServerAnswer, TestTransport, TestTransportOptions, Timeline, TimelineStep } from './test-transport.js';
export { createTestClient, createTestGenlook } from './create-test-genlook.js';
export type { TestGenlook, TestGenlookOptions } from './create-test-genlook.js';
