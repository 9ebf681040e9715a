import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import { createRenderBatcher, type FrameScheduler } from './render-batcher.ts';

/** A frame clock the test advances by hand. */
function manualFrames() {
  let pending: (() => void)[] = [];
  const schedule: FrameScheduler = (callback) => {
    pending.push(callback);
    return () => {
      pending = pending.filter((c) => c !== callback);
    };
  };
  const frame = () => {
    const due = pending;
    pending = [];
    for (const callback of due) callback();
  };
  return { schedule, frame, scheduled: () => pending.length };
}

function setup() {
  const store = createStore<{ n: number }>()(() => ({ n: 0 }));
  const frames = manualFrames();
  const batcher = createRenderBatcher((onChange) => store.subscribe(onChange), frames.schedule);
  const seen: number[] = [];
  const unsubscribe = batcher.subscribe(() => seen.push(store.getState().n));
  return { store, frames, batcher, seen, unsubscribe };
}

describe('createRenderBatcher', () => {
  it('notifies at once for ordinary updates', () => {
    const { store, seen, frames } = setup();
    store.setState({ n: 1 });
    store.setState({ n: 2 });
    expect(seen).toEqual([1, 2]);
    expect(frames.scheduled()).toBe(0);
  });

  it('coalesces deferred updates into one notification at the next frame', () => {
    const { store, batcher, seen, frames } = setup();
    batcher.defer(() => store.setState({ n: 1 }));
    batcher.defer(() => store.setState({ n: 2 }));
    batcher.defer(() => store.setState({ n: 3 }));
    expect(seen).toEqual([]);
    expect(frames.scheduled()).toBe(1);
    frames.frame();
    expect(seen).toEqual([3]);
    frames.frame();
    expect(seen).toEqual([3]);
  });

  it('delivers a waiting deferred change with the next immediate one, without a second notification', () => {
    const { store, batcher, seen, frames } = setup();
    batcher.defer(() => store.setState({ n: 1 }));
    store.setState({ n: 2 });
    expect(seen).toEqual([2]);
    frames.frame();
    expect(seen).toEqual([2]);
  });

  it('stops listening to the store, and cancels a waiting frame, when the last listener leaves', () => {
    const { store, batcher, seen, frames, unsubscribe } = setup();
    batcher.defer(() => store.setState({ n: 1 }));
    unsubscribe();
    expect(frames.scheduled()).toBe(0);
    store.setState({ n: 2 });
    frames.frame();
    expect(seen).toEqual([]);
  });

  it('notifies at once again after a deferred update that threw', () => {
    const { store, batcher, seen } = setup();
    expect(() =>
      batcher.defer(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    store.setState({ n: 5 });
    expect(seen).toEqual([5]);
  });
});
