// The checks behind every option's TypeError: ``Expected `name` to be ..., got <value>``. Every entry
// (the client, the operators, the Redis entry, the simulator) checks its options with these.

/** A positive finite number (milliseconds, for the time options). */
export function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`Expected \`${name}\` to be a positive number, got ${describe(value)}`);
  return value;
}

/** A finite number ≥ 0. */
export function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`Expected \`${name}\` to be a non-negative number, got ${describe(value)}`);
  return value;
}

/** An integer ≥ 0 (a count). */
export function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new TypeError(`Expected \`${name}\` to be a non-negative integer, got ${describe(value)}`);
  return value;
}

/** An integer > 0. */
export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${describe(value)}`);
  return value;
}

/** A number in [0, 1] (a share). */
export function share(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new TypeError(`Expected \`${name}\` to be a number from 0 to 1, got ${describe(value)}`);
  return value;
}

/** `true` or `false`. */
export function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(value)}`);
  return value;
}

/** A non-empty string. */
export function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${describe(value)}`);
  return value;
}

/** One of `choices`. */
export function oneOf<const T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) throw new TypeError(`Expected \`${name}\` to be ${choices.map((choice) => `'${choice}'`).join(', ')}, got ${describe(value)}`);
  return value as T;
}

/** A function. */
export function callable<T extends (...args: never[]) => unknown>(name: string, value: unknown): T {
  if (typeof value !== 'function') throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  return value as T;
}

/** An object whose `methods` are functions (a transport, a budget, a coordinator, a Redis client). */
export function withMethods<T>(name: string, value: unknown, methods: readonly string[], what: string): T {
  if (typeof value !== 'object' || value === null || methods.some((method) => typeof (value as Record<string, unknown>)[method] !== 'function')) {
    throw new TypeError(`Expected \`${name}\` to be ${what}, got ${describe(value)}`);
  }
  return value as T;
}

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  return Array.isArray(value) ? 'an array' : 'an object';
}
