/**
 * Restart and re-send, without a browser: the real client (src/worker/client.ts), engine store and
 * session store over a fake worker transport that can die mid-photo or report a lost GPU. The real
 * worker is covered by e2e/faults.spec.ts.
 */
import type { Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import type {
  BackendName,
  EngineApi,
  EngineStatus,
  InitOptions,
  PhotoAnalysis,
  PhotoInput,
} from '../worker/api.ts';
import { createEngineClient } from '../worker/client.ts';
import type { EngineConnection } from '../worker/engine-connection.ts';
import { GpuContextLostError } from '../worker/engine-faults.ts';
import { whenEngineReady } from './engine-ready.ts';
import { createEngineStore, describeNotice, startEngine } from './engine-store.ts';
import { createSessionStore } from './session-store.ts';
import { face, unitAt } from './test-fixtures.ts';

const statusOn = (backend: BackendName): EngineStatus => ({
  backend,
  selection: 'measured',
  probes: [],
  requested: null,
  failures: [],
  renderer: 'SwiftShader',
  isSoftwareRenderer: true,
  wasm: null,
  secondEngine: false,
  models: [],
  tfjsVersion: 'test',
  initMs: 1,
});

const ok = (seen: number): PhotoAnalysis => ({
  ok: true,
  embedder: 'mobilefacenet',
  width: seen, // what the worker read, so the test can tell the bytes arrived intact
  height: 1,
  faces: [face(unitAt(0.1, 192))],
  timings: { decodeMs: 1, detectMs: 1, embedMs: 1, totalMs: 3 },
});

/** How one fake worker treats the photo it receives as its `n`-th (1-based) analysis. */
type Fault = (n: number, photo: PhotoInput) => 'die' | 'lose-gpu' | 'ok';

interface FakeWorld {
  readonly spawned: { init: InitOptions | null; analysed: string[] }[];
  spawn(): EngineConnection;
}

/**
 * Fake workers. A dying one never settles the call (as a terminated worker's port), then reports
 * its end the way the life lock would. `faults[i]` is worker i's behaviour (default: healthy).
 */
function fakeWorld(faults: Fault[], backend: 'webgl' | 'wasm' = 'wasm'): FakeWorld {
  const spawned: FakeWorld['spawned'] = [];
  return {
    spawned,
    spawn() {
      const record = { init: null as InitOptions | null, analysed: [] as string[] };
      const index = spawned.length;
      spawned.push(record);
      const fault: Fault = faults[index] ?? (() => 'ok');
      let end: (reason: string) => void = () => {};
      const ended = new Promise<string>((resolve) => {
        end = resolve;
      });
      let closed = false;
      const api = {
        async init(options: InitOptions) {
          record.init = options;
          return statusOn(options.backend ?? backend);
        },
        async watchGpu() {
          return true;
        },
        /** A kiosk-style call that never answers on a dying worker (as a terminated worker's port). */
        inspectFrame() {
          return new Promise<never>(() => {});
        },
        analyzePhoto(photo: PhotoInput) {
          if (closed) return new Promise<never>(() => {});
          record.analysed.push(photo.name);
          const what = fault(record.analysed.length, photo);
          if (what === 'die') {
            setTimeout(() => end('the worker stopped'), 5);
            return new Promise<never>(() => {});
          }
          if (what === 'lose-gpu') return Promise.reject(new GpuContextLostError());
          return Promise.resolve(ok(photo.bytes.byteLength));
        },
      };
      return {
        api: api as unknown as Remote<EngineApi>,
        ended: ended.then((reason) => (closed ? new Promise<string>(() => {}) : reason)),
        close() {
          closed = true;
        },
        kill() {
          end('killed');
        },
      };
    },
  };
}

const photoFile = (name: string, size: number) => new File([new Uint8Array(size)], name);

async function runBatch(world: FakeWorld, names: readonly string[]) {
  const engine = createEngineStore();
  const client = createEngineClient({ spawn: () => world.spawn(), modelsUrl: () => 'http://x/models/' });
  await startEngine(engine, client, null);
  let n = 0;
  const session = createSessionStore({
    client,
    engineReady: () => whenEngineReady(engine),
    objectUrls: { create: () => `blob:${++n}`, revoke: () => {} },
  });
  session.getState().addPhotos(
    'test',
    names.map((name, i) => photoFile(name, 10 + i)),
  );
  await new Promise<void>((resolve) => {
    const check = () => {
      const photos = Object.values(session.getState().photos);
      return photos.every((p) => p.status.kind === 'done' || p.status.kind === 'failed');
    };
    if (check()) resolve();
    const stop = session.subscribe(() => {
      if (check()) {
        stop();
        resolve();
      }
    });
  });
  return { engine, client, session };
}

const NAMES = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'];

describe('engine restart', () => {
  it('a worker that dies mid-batch is replaced and the unfinished photo is sent again, once', async () => {
    const world = fakeWorld([(n) => (n === 2 ? 'die' : 'ok')]);
    const { engine, client, session } = await runBatch(world, NAMES);

    const photos = Object.values(session.getState().photos);
    expect(photos.map((p) => p.status.kind)).toEqual(['done', 'done', 'done', 'done']);
    // Every photo arrived whole at the new worker, re-read from its File (sizes 10, 11, 12, 13).
    expect(photos.map((p) => (p.status.kind === 'done' ? p.status.result.width : -1))).toEqual([
      10, 11, 12, 13,
    ]);
    expect(world.spawned.map((w) => w.analysed)).toEqual([
      ['a.jpg', 'b.jpg'],
      ['b.jpg', 'c.jpg', 'd.jpg'],
    ]);
    expect(client.analyzeCallCount()).toBe(NAMES.length + 1);
    // The new worker reuses the first one's choice instead of measuring again.
    expect(world.spawned[1]?.init?.remembered?.backend).toBe('wasm');
    const { notice, phase } = engine.getState();
    expect(phase).toBe('ready');
    expect(notice).toMatchObject({ cause: 'crashed', rerun: 1, restarts: 1 });
    expect(notice && describeNotice(notice)).toBe(
      'The engine stopped unexpectedly and was restarted; 1 unfinished photo was run again.',
    );
  });

  it('a lost GPU moves the rest of the session to WASM and re-runs the photo', async () => {
    const world = fakeWorld([(n) => (n === 3 ? 'lose-gpu' : 'ok')], 'webgl');
    const { engine, session } = await runBatch(world, NAMES);

    expect(Object.values(session.getState().photos).map((p) => p.status.kind)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(world.spawned[1]?.init?.backend).toBe('wasm');
    expect(world.spawned[1]?.analysed).toEqual(['c.jpg', 'd.jpg']);
    expect(engine.getState().status?.backend).toBe('wasm');
    expect(engine.getState().notice).toMatchObject({ cause: 'gpu-lost', rerun: 1, backend: 'wasm' });
  });

  it('a photo that kills every worker is given up after three tries; the rest finish', async () => {
    const killer: Fault = (_, photo) => (photo.name === 'b.jpg' ? 'die' : 'ok');
    const world = fakeWorld([killer, killer, killer]);
    const { session } = await runBatch(world, NAMES);

    const photos = Object.values(session.getState().photos);
    expect(photos.map((p) => p.status.kind)).toEqual(['done', 'failed', 'done', 'done']);
    const b = photos[1]?.status;
    expect(b?.kind === 'failed' && b.problem.message).toMatch(/stopped 3 times/);
    expect(world.spawned).toHaveLength(4);
  });

  it('a worker that dies before it ever started is reported, not restarted in a loop', async () => {
    const engine = createEngineStore();
    let spawns = 0;
    const client = createEngineClient({
      modelsUrl: () => 'http://x/models/',
      spawn: () => {
        spawns++;
        return {
          api: { init: () => new Promise<never>(() => {}) } as unknown as Remote<EngineApi>,
          ended: Promise.resolve('script error'),
          close() {},
          kill() {},
        };
      },
    });
    await startEngine(engine, client, null);
    expect(engine.getState().phase).toBe('error');
    expect(engine.getState().error?.message).toBe('inference worker failed: script error');
    expect(spawns).toBe(1);
  });

  it('any other call (kiosk frames, imports) rejects when its worker dies instead of hanging', async () => {
    const world = fakeWorld([]);
    const engine = createEngineStore();
    const client = createEngineClient({ spawn: () => world.spawn(), modelsUrl: () => 'http://x/models/' });
    await startEngine(engine, client, null);
    const pending = client.call((api) => api.inspectFrame(null as unknown as ImageBitmap));
    client.killWorkerForTest();
    await expect(pending).rejects.toMatchObject({ name: 'EngineRestartedError' });
    // The next call goes to the new worker once it is ready.
    await expect(client.call((api) => api.watchGpu(() => {}))).resolves.toBe(true);
    expect(world.spawned).toHaveLength(2);
  });
});
