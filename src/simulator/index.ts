/**
 * genlook-rx/simulator: a local Genlook-compatible API server for demos, tests and benchmarks (Node).
 * @packageDocumentation
 */
export { startSimulator } from './start-simulator.js';
export type { SimulatedGeneration, Simulator } from './start-simulator.js';
export type { SimulatorOptions } from './simulator-options.js';
export { seededRandom } from './faults.js';
export type { FaultOptions, Fault } from './faults.js';
export type { IdCounters, SimulatorStats } from './counters.js';
export type { TimelineStep } from './timeline.js';
export { renderPng } from './png.js';
