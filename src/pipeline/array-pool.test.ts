import { describe, expect, it } from 'vitest';
import { createArrayPool } from './array-pool.ts';

describe('createArrayPool', () => {
  it('lends its array to one user at a time, as a view of the requested length', () => {
    const pool = createArrayPool(Float32Array, 1000);
    const first = pool.take(100);
    pool.give(first);
    const second = pool.take(60);
    expect(second.buffer).toBe(first.buffer);
    expect(second.length).toBe(60);
    // Lent out: an overlapping user gets an array of its own.
    const overlapping = pool.take(60);
    expect(overlapping.buffer).not.toBe(first.buffer);
  });

  it('gives a longer request a new array, and keeps the longest array given back', () => {
    const pool = createArrayPool(Float64Array, 1000);
    const short = pool.take(10);
    pool.give(short);
    const long = pool.take(50);
    expect(long.buffer).not.toBe(short.buffer);
    pool.give(long);
    pool.give(short);
    expect(pool.take(50).buffer).toBe(long.buffer);
  });

  it('keeps nothing above its limit', () => {
    const pool = createArrayPool(Float32Array, 100);
    const big = pool.take(101);
    pool.give(big);
    expect(pool.take(101).buffer).not.toBe(big.buffer);
  });
});
