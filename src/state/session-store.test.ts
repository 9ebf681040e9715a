import { describe, expect, it } from 'vitest';
import type { AnalysisStage, PhotoAnalysis, PhotoInput } from '../worker/api.ts';
import type { AnalyzeCallOptions } from '../worker/client.ts';
import { createSessionStore } from './session-store.ts';
import { face, unitAt } from './test-fixtures.ts';

interface Call {
  readonly photo: PhotoInput;
  readonly embedder: string;
  readonly call: AnalyzeCallOptions;
  resolve(result: PhotoAnalysis): void;
}

/** A worker stand-in whose calls the test settles by hand. */
function fakeClient() {
  const calls: Call[] = [];
  return {
    calls,
    analyzePhoto(photo: PhotoInput, options: { embedder: string }, call: AnalyzeCallOptions = {}) {
      return new Promise<PhotoAnalysis>((resolve, reject) => {
        call.signal?.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
        calls.push({ photo, embedder: options.embedder, call, resolve });
      });
    },
  };
}

const ok = (angle: number): PhotoAnalysis => ({
  ok: true,
  embedder: 'mobilefacenet',
  width: 10,
  height: 10,
  faces: [face(unitAt(angle, 192))],
  timings: { decodeMs: 1, detectMs: 1, embedMs: 1, totalMs: 3 },
});

const settle = () => new Promise((r) => setTimeout(r, 0));
const file = (name: string) => new File([new Uint8Array([1, 2, 3])], name);

function setup() {
  const client = fakeClient();
  const revoked: string[] = [];
  let n = 0;
  const store = createSessionStore({
    client,
    engineReady: () => Promise.resolve(),
    objectUrls: { create: () => `blob:${++n}`, revoke: (url) => revoked.push(url) },
  });
  const statusOf = (name: string) =>
    Object.values(store.getState().photos).find((p) => p.name === name)?.status.kind;
  return { client, store, revoked, statusOf };
}

describe('session store', () => {
  it('analyses references before the photos to check, one at a time', async () => {
    const { client, store } = setup();
    store.getState().addPhotos('test', [file('t1.jpg'), file('t2.jpg')]);
    store.getState().addPhotos('reference', [file('ref.jpg')]);
    await settle();
    expect(client.calls.map((c) => c.photo.name)).toEqual(['t1.jpg']);
    client.calls[0]?.resolve(ok(0.1));
    await settle();
    await settle();
    expect(client.calls.map((c) => c.photo.name)).toEqual(['t1.jpg', 'ref.jpg']);
  });

  it('scores test faces once a reference face exists; the threshold only relabels', async () => {
    const { client, store } = setup();
    store.getState().addPhotos('reference', [file('ref.jpg')]);
    store.getState().addPhotos('test', [file('t.jpg')]);
    await settle();
    client.calls[0]?.resolve(ok(0));
    await settle();
    await settle();
    client.calls[1]?.resolve(ok(0.5));
    await settle();
    const [id] = store.getState().order.slice(-1);
    const nearest = store.getState().scores.get(id ?? '');
    expect(nearest?.[0]?.distance).toBeCloseTo(1 - Math.cos(0.5), 5);
    store.getState().setThreshold(0.01);
    expect(store.getState().scores.get(id ?? '')).toBe(nearest);
    expect(client.calls).toHaveLength(2);
  });

  it('ignores a stage message that arrives after the result', async () => {
    const { client, store, statusOf } = setup();
    store.getState().addPhotos('test', [file('t.jpg')]);
    await settle();
    const call = client.calls[0] as Call;
    call.call.onStage?.('detecting' satisfies AnalysisStage);
    expect(statusOf('t.jpg')).toBe('analyzing');
    call.resolve(ok(0));
    await settle();
    call.call.onStage?.('embedding');
    expect(statusOf('t.jpg')).toBe('done');
  });

  it('turns a worker problem into a failed card and goes on', async () => {
    const { client, store, statusOf } = setup();
    store.getState().addPhotos('test', [file('bad.jpg'), file('good.jpg')]);
    await settle();
    client.calls[0]?.resolve({ ok: false, problem: { code: 'not-an-image', message: 'text' } });
    await settle();
    await settle();
    client.calls[1]?.resolve(ok(0));
    await settle();
    expect(statusOf('bad.jpg')).toBe('failed');
    expect(statusOf('good.jpg')).toBe('done');
  });

  it('cancel marks unfinished photos cancelled; resume queues them again', async () => {
    const { client, store, statusOf } = setup();
    store.getState().addPhotos('test', [file('a.jpg'), file('b.jpg')]);
    await settle();
    store.getState().cancel();
    await settle();
    expect([statusOf('a.jpg'), statusOf('b.jpg')]).toEqual(['cancelled', 'cancelled']);
    expect(store.getState().queue.total).toBe(0);
    store.getState().resume();
    await settle();
    expect(client.calls.map((c) => c.photo.name)).toEqual(['a.jpg', 'a.jpg']);
    expect(statusOf('a.jpg')).toBe('decoding');
  });

  it('switching the model re-analyses with it and resets the threshold', async () => {
    const { client, store } = setup();
    store.getState().addPhotos('test', [file('a.jpg')]);
    await settle();
    client.calls[0]?.resolve(ok(0));
    await settle();
    store.getState().setThreshold(0.2);
    store.getState().setEmbedder('facerecognitionnet');
    await settle();
    expect(client.calls.map((c) => c.embedder)).toEqual(['mobilefacenet', 'facerecognitionnet']);
    expect(store.getState().threshold).toBeCloseTo(0.6182);
  });

  it('tells the UI of worker progress at most once per frame, of user actions at once', async () => {
    const client = fakeClient();
    let frame: (() => void) | null = null;
    const store = createSessionStore({
      client,
      engineReady: () => Promise.resolve(),
      objectUrls: { create: () => 'blob:1', revoke: () => {} },
      frames: (callback) => {
        frame = callback;
        return () => {
          frame = null;
        };
      },
    });
    let renders = 0;
    store.subscribeForRender(() => renders++);

    store.getState().addPhotos('reference', [file('ref.jpg')]);
    expect(renders).toBe(1); // the new card, at once
    await settle();
    const call = client.calls[0];
    call?.call.onStage?.('detecting');
    call?.call.onStage?.('embedding');
    call?.resolve(ok(0));
    await settle();
    // Reading, detecting, embedding, the result and the queue's progress: all waiting for the frame.
    expect(store.getState().photos['photo-1']?.status.kind).toBe('done');
    expect(renders).toBe(1);
    expect(frame).not.toBeNull();
    (frame as (() => void) | null)?.();
    expect(renders).toBe(2);

    store.getState().setThreshold(0.5);
    expect(renders).toBe(3); // the slider: at once
  });

  it('removing a person removes their photos and revokes their object URLs', () => {
    const { store, revoked } = setup();
    const id = store.getState().addPerson('  Amy  ') as string;
    expect(store.getState().people[0]?.name).toBe('Amy');
    store.getState().addPhotos('enrol', [file('amy1.jpg')], id);
    store.getState().removePerson(id);
    expect(store.getState().people).toEqual([]);
    expect(store.getState().order).toEqual([]);
    expect(revoked).toEqual(['blob:1']);
    expect(store.getState().addPerson('   ')).toBeNull();
  });
});
