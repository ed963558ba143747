import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCapped } from '../src/http/read-capped.js';

const tooLarge = () => new Error('too large');

describe('readCapped: the cap on a body read in chunks', () => {
  it('a body that reaches the cap exactly, then goes on: refused, never cut to the cap', async () => {
    const stream = new PassThrough();
    const read = readCapped(stream, 10, tooLarge);
    // Two separate 'data' events: the first fills the cap, the second passes it.
    stream.write('0123456789');
    await new Promise((resolve) => setImmediate(resolve));
    stream.end('x');
    await expect(read).rejects.toThrow('too large');
    expect(stream.destroyed).toBe(true);
  });

  it('a body of exactly the cap, in chunks: read whole', async () => {
    const stream = new PassThrough();
    const read = readCapped(stream, 10, tooLarge);
    stream.write('01234');
    await new Promise((resolve) => setImmediate(resolve));
    stream.end('56789');
    await expect(read).resolves.toBe('0123456789');
  });
});
