/**
 * The second engine's client (offload-client.ts): it offers a net only once loaded, and any failure —
 * a rejected call, no answer in time, an error in its worker, a failed start — stops it for good, so
 * the pipeline then does everything itself. The worker here is in-process (comlink over a
 * MessageChannel); the real one is covered by e2e (detector.spec.ts, privacy.spec.ts).
 */
import { expose } from 'comlink';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostBatch, OffloadNet } from '../pipeline/offload.ts';
import { type OffloadWorker, startOffload } from './offload-client.ts';
import type { OffloadWorkerApi } from './offload-protocol.ts';

interface FakeWorker extends OffloadWorker {
  readonly terminated: () => boolean;
  fail(message: string): void;
  /** Resolves the pending start() with these nets. */
  started(nets: OffloadNet[]): void;
  readonly received: HostBatch[];
}

type Behaviour = 'answer' | 'reject' | 'hang';

function fakeWorker(behaviour: () => Behaviour, startFails = false): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  let terminated = false;
  let errorListener: (message: string) => void = () => {};
  // Created up front: the test may call started() before start()'s message has arrived.
  let resolveStart: (nets: OffloadNet[]) => void = () => {};
  let hasStarted = false;
  const startedNets = new Promise<OffloadNet[]>((resolve) => {
    resolveStart = resolve;
  });
  const received: HostBatch[] = [];
  const respond = <T>(value: T): Promise<T> => {
    switch (behaviour()) {
      case 'answer':
        return Promise.resolve(value);
      case 'reject':
        return Promise.reject(new Error('out of memory'));
      case 'hang':
        return new Promise<T>(() => {});
    }
  };
  const api: OffloadWorkerApi = {
    start: () => (startFails ? Promise.reject(new Error('models missing')) : startedNets),
    pnet: (levels) => {
      received.push(...levels);
      return respond(
        levels.map(() => ({
          rows: 1,
          cols: 1,
          probabilities: new Float32Array(2),
          offsets: new Float32Array(4),
        })),
      );
    },
    crops: (_net, patches) => {
      received.push(patches);
      return respond(new Float32Array(6 * patches.shape[0]));
    },
    embed: (_id, faces) => {
      received.push(faces);
      return respond(new Float32Array(192 * faces.shape[0]));
    },
    // As tfjs does until its backend is up.
    tensors: async () => {
      if (!hasStarted) throw new Error("Backend 'wasm' has not yet been initialized");
      return 190;
    },
    crashForTest: async () => {
      setTimeout(() => errorListener('Uncaught Error: crashed'));
    },
  };
  expose(api, port2);
  return {
    endpoint: port1,
    onError: (listener) => {
      errorListener = listener;
    },
    terminate: () => {
      terminated = true;
      port1.close();
      port2.close();
    },
    terminated: () => terminated,
    fail: (message) => errorListener(message),
    started: (nets) => {
      hasStarted = true;
      resolveStart(nets);
    },
    received,
  };
}

const batch = (n: number): HostBatch => ({
  values: new Float32Array(n * 24 * 24 * 3),
  shape: [n, 24, 24, 3],
});

/** Lets the comlink messages of a resolved start() arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the second engine client', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('offers a net only once the second engine has loaded it', async () => {
    const worker = fakeWorker(() => 'answer');
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker });
    expect(second.offload.has('pnet')).toBe(false);
    // While it starts, its tensors are not asked for (its backend may not exist yet).
    expect(await second.state()).toEqual({ phase: 'starting' });
    worker.started(['pnet', 'rnet', 'onet']);
    await second.ready();
    expect(second.offload.has('pnet')).toBe(true);
    expect(second.offload.has('mobilefacenet')).toBe(false);
    expect(await second.state()).toEqual({
      phase: 'running',
      nets: ['pnet', 'rnet', 'onet'],
      tensors: 190,
      answered: 0,
    });
    second.close();
  });

  it('moves the inputs and counts the calls it answered', async () => {
    const worker = fakeWorker(() => 'answer');
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker });
    worker.started(['rnet', 'mobilefacenet']);
    await second.ready();
    const patches = batch(3);
    expect(await second.offload.crops('rnet', patches)).toHaveLength(18);
    // Transferred, not copied: the caller's buffer is detached, the worker got the values.
    expect(patches.values.byteLength).toBe(0);
    expect(worker.received[0]?.values.length).toBe(3 * 24 * 24 * 3);
    expect(await second.offload.embed('mobilefacenet', batch(2))).toHaveLength(384);
    expect(second.answered()).toBe(2);
    second.close();
  });

  it('a view into a larger buffer is copied before it is moved', async () => {
    const worker = fakeWorker(() => 'answer');
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker });
    worker.started(['pnet']);
    await second.ready();
    const whole = new Float32Array(2 * 10 * 10 * 3);
    const level: HostBatch = { values: whole.subarray(0, 10 * 10 * 3), shape: [1, 10, 10, 3] };
    await second.offload.pnet([level]);
    expect(whole.byteLength).toBe(2 * 10 * 10 * 3 * 4);
    second.close();
  });

  it.each([
    ['rejects', 'reject'],
    ['does not answer in time', 'hang'],
  ] as const)('a call that %s stops it for good', async (_name, behaviour) => {
    const worker = fakeWorker(() => behaviour);
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker, callTimeoutMs: 50 });
    worker.started(['onet']);
    await second.ready();
    expect(second.offload.has('onet')).toBe(true);
    await expect(second.offload.crops('onet', batch(8))).rejects.toThrow();
    expect(second.offload.has('onet')).toBe(false);
    expect(await second.state()).toEqual({
      phase: 'stopped',
      reason: behaviour === 'reject' ? 'out of memory' : 'the second engine did not answer',
      answered: 0,
    });
    expect(worker.terminated()).toBe(true);
    expect(second.answered()).toBe(0);
  });

  it('an error in its worker stops it', async () => {
    const worker = fakeWorker(() => 'answer');
    const second = startOffload('cpu', 'http://x/models/', { spawn: () => worker });
    worker.started(['pnet']);
    await second.ready();
    worker.fail('Uncaught RangeError: WebAssembly.Memory(): could not allocate memory');
    expect(second.offload.has('pnet')).toBe(false);
    expect(worker.terminated()).toBe(true);
    expect(await second.state()).toEqual({
      phase: 'stopped',
      reason: 'Uncaught RangeError: WebAssembly.Memory(): could not allocate memory',
      answered: 0,
    });
  });

  it('a call under way when its worker crashes fails at once, not at the timeout', async () => {
    const worker = fakeWorker(() => 'hang');
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker, callTimeoutMs: 60_000 });
    worker.started(['rnet']);
    await second.ready();
    const call = second.offload.crops('rnet', batch(40));
    await settle();
    worker.fail('Uncaught RangeError: out of memory');
    await expect(call).rejects.toThrow('the second engine stopped: Uncaught RangeError: out of memory');
    // And a call made afterwards is not sent at all.
    await expect(second.offload.crops('rnet', batch(40))).rejects.toThrow('the second engine stopped');
    expect(worker.received).toHaveLength(1);
  });

  it('crashForTest takes the path of a real crash, and the count of answered calls survives it', async () => {
    const worker = fakeWorker(() => 'answer');
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker });
    worker.started(['rnet']);
    await second.ready();
    await second.offload.crops('rnet', batch(2));
    second.crashForTest();
    await settle();
    expect(second.offload.has('rnet')).toBe(false);
    expect(worker.terminated()).toBe(true);
    expect(await second.state()).toEqual({
      phase: 'stopped',
      reason: 'Uncaught Error: crashed',
      answered: 1,
    });
  });

  it('a state query the worker never answers stops it instead of hanging', async () => {
    const worker = fakeWorker(() => 'answer');
    const api = worker.endpoint;
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker, callTimeoutMs: 50 });
    worker.started(['pnet']);
    await second.ready();
    // The port goes quiet as a worker that died without an error event would.
    (api as MessagePort).close();
    expect(await second.state()).toEqual({
      phase: 'stopped',
      reason: 'the second engine did not answer',
      answered: 0,
    });
    expect(worker.terminated()).toBe(true);
  });

  it('a failed start leaves nothing offered', async () => {
    const worker = fakeWorker(() => 'answer', true);
    const second = startOffload('wasm', 'http://x/models/', { spawn: () => worker });
    await second.ready();
    await settle();
    expect(second.offload.has('pnet')).toBe(false);
    expect(await second.state()).toEqual({ phase: 'stopped', reason: 'models missing', answered: 0 });
    expect(worker.terminated()).toBe(true);
  });
});
