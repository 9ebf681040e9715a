/** How work is split between the two engines (offload.ts); the real split is in tests/embed/offload.test.ts. */
import { describe, expect, it } from 'vitest';
import { localShare, splitWork } from './offload.ts';

describe('splitWork', () => {
  const load = (costs: number[], sent: boolean[]) =>
    costs.reduce(
      (sum, c, i) =>
        sent[i] ? [sum[0] as number, (sum[1] as number) + c] : [(sum[0] as number) + c, sum[1] as number],
      [0, 0],
    );

  it('balances a pyramid: the largest level on one side, the rest on the other', () => {
    const levels = [1000, 500, 250, 125, 62, 31, 15];
    const sent = splitWork(levels);
    const [here, there] = load(levels, sent);
    expect(sent[0]).toBe(false);
    expect(Math.abs((here as number) - (there as number))).toBeLessThanOrEqual(31);
  });

  it('keeps everything here when one item outweighs the rest', () => {
    expect(splitWork([10])).toEqual([false]);
    expect(splitWork([])).toEqual([]);
  });

  it('splits equal items evenly', () => {
    expect(splitWork([5, 5])).toEqual([false, true]);
    expect(splitWork([5, 5, 5, 5])).toEqual([false, true, false, true]);
  });

  it('works on unsorted costs and returns them in input order', () => {
    expect(splitWork([1, 8, 2, 7])).toEqual([false, false, true, true]);
  });
});

describe('localShare', () => {
  it('keeps the first half, rounded up', () => {
    expect(localShare(10, 2)).toBe(5);
    expect(localShare(5, 2)).toBe(3);
    expect(localShare(2, 2)).toBe(1);
  });

  it('keeps small batches whole', () => {
    expect(localShare(1, 2)).toBe(1);
    expect(localShare(31, 32)).toBe(31);
    expect(localShare(0, 1)).toBe(0);
  });
});
