import { describe, expect, it } from 'vitest';
import { createWorkQueue, type QueueProgress } from './queue.ts';

/** A controllable job: resolves when the test says so. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createWorkQueue', () => {
  it('runs items one at a time, in order', async () => {
    const started: string[] = [];
    const jobs = new Map<string, ReturnType<typeof deferred>>();
    const queue = createWorkQueue<string>({
      run: (item) => {
        started.push(item);
        const job = deferred();
        jobs.set(item, job);
        return job.promise;
      },
    });
    queue.enqueue(['a', 'b', 'c']);
    await tick();
    expect(started).toEqual(['a']);
    jobs.get('a')?.resolve();
    await tick();
    expect(started).toEqual(['a', 'b']);
    jobs.get('b')?.resolve();
    await tick();
    jobs.get('c')?.resolve();
    await queue.idle();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('appends items added while running, and puts `front` items next', async () => {
    const started: string[] = [];
    const gate = deferred();
    const queue = createWorkQueue<string>({
      run: async (item) => {
        started.push(item);
        if (item === 'a') await gate.promise;
      },
    });
    queue.enqueue(['a', 'b']);
    await tick();
    queue.enqueue(['c']);
    queue.enqueue(['ref'], { front: true });
    expect(queue.progress()).toMatchObject({
      current: 'a',
      pending: ['ref', 'b', 'c'],
      total: 4,
      finished: 0,
    });
    gate.resolve();
    await queue.idle();
    expect(started).toEqual(['a', 'ref', 'b', 'c']);
  });

  it('keeps going after a job rejects', async () => {
    const done: string[] = [];
    const queue = createWorkQueue<string>({
      run: async (item) => {
        if (item === 'bad') throw new Error('boom');
        done.push(item);
      },
    });
    queue.enqueue(['bad', 'good']);
    await queue.idle();
    expect(done).toEqual(['good']);
  });

  it('cancel aborts the current item, drops the rest and returns them', async () => {
    const signals: AbortSignal[] = [];
    const ran: string[] = [];
    const queue = createWorkQueue<string>({
      run: (item, signal) => {
        ran.push(item);
        signals.push(signal);
        return new Promise(() => {}); // never settles: cancel must not wait for it
      },
    });
    queue.enqueue(['a', 'b', 'c']);
    await tick();
    expect(queue.cancel()).toEqual(['a', 'b', 'c']);
    expect(signals[0]?.aborted).toBe(true);
    await queue.idle();
    expect(ran).toEqual(['a']);
    expect(queue.progress()).toEqual({ current: null, pending: [], finished: 0, total: 0 });
  });

  it('remove drops matching pending items only', async () => {
    const ran: string[] = [];
    const gate = deferred();
    const queue = createWorkQueue<string>({
      run: async (item) => {
        ran.push(item);
        if (item === 'a') await gate.promise;
      },
    });
    queue.enqueue(['a', 'b', 'c']);
    await tick();
    expect(queue.remove((item) => item === 'b' || item === 'a')).toEqual(['b']);
    gate.resolve();
    await queue.idle();
    expect(ran).toEqual(['a', 'c']);
  });

  it('reports progress per batch and starts counting again after going idle', async () => {
    const seen: QueueProgress<number>[] = [];
    const queue = createWorkQueue<number>({ run: async () => {}, onProgress: (p) => seen.push(p) });
    queue.enqueue([1, 2]);
    await queue.idle();
    expect(seen.map((p) => [p.finished, p.total])).toEqual([
      [0, 2],
      [1, 2],
      [0, 0],
    ]);
    queue.enqueue([3]);
    await queue.idle();
    expect(seen.at(-2)).toMatchObject({ current: 3, finished: 0, total: 1 });
  });
});
