import { describe, expect, it } from 'vitest';
import { createBitmapCounter } from './bitmap-counter.ts';

describe('createBitmapCounter', () => {
  it('tracks live decoded images and the most alive at once', () => {
    const counter = createBitmapCounter();
    expect(counter.counts()).toEqual({ live: 0, maxLive: 0, decoded: 0 });
    counter.opened();
    counter.opened();
    counter.closed();
    counter.opened();
    expect(counter.counts()).toEqual({ live: 2, maxLive: 2, decoded: 3 });
    counter.closed();
    counter.closed();
    expect(counter.counts()).toEqual({ live: 0, maxLive: 2, decoded: 3 });
  });

  it('refuses to close more than was opened (a double close would hide a leak)', () => {
    expect(() => createBitmapCounter().closed()).toThrow(/closed twice or never counted/);
  });
});
