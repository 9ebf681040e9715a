/**
 * The bench page's worker: starts the requested tfjs backend with the app's own backend code
 * (src/worker/backend.ts: WASM binaries from our origin, GL probe, software-GL opt-in), loads ONE
 * engine — FaceCheck, a face-api pipeline, or nothing for the gallery search — and times photos.
 * Engines are imported on demand, so a FaceCheck page never loads face-api's code and vice versa.
 */
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { expose } from 'comlink';
import { initBackend } from '../src/worker/backend.ts';
import { decodePhoto } from './decode.ts';
import type { PhotoEngine } from './photo-engine.ts';
import type { BenchParams, BenchWorkerApi, EnvironmentReport, WorkerInitReport } from './protocol.ts';
import { startStageClock } from './stage-clock.ts';
import { tfMemory } from './tf-memory.ts';
import { failOnUncaught } from './uncaught.ts';

const originUrl = (path: string) => new URL(path, self.location.origin).href;

async function loadEngine(params: BenchParams): Promise<PhotoEngine | null> {
  switch (params.engine) {
    case 'facecheck': {
      const { createFaceCheckEngine } = await import('./facecheck-engine.ts');
      return createFaceCheckEngine(params.backend, originUrl('/models/'), params);
    }
    case 'faceapi-ssd':
    case 'faceapi-tiny': {
      const { createPeerEngine } = await import('./peer-engine.ts');
      return createPeerEngine(params.engine, originUrl('/faceapi-models/'));
    }
    case 'gallery':
      return null;
  }
}

function createBenchWorker(): BenchWorkerApi {
  let engine: PhotoEngine | null = null;
  let backend: BenchParams['backend'] | null = null;
  // One photo at a time, in call order, as the app's worker does.
  let previous: Promise<unknown> = Promise.resolve();

  return {
    async init(params) {
      if (backend !== null) throw new Error('bench worker: init() called twice');
      const started = performance.now();
      if (params.wasmThreads !== null) {
        // tfjs-wasm caps XNNPACK at half of the logical cores it reads from navigator (assuming two
        // hardware threads per core), so on 2 cores a request for 2 would still give 1: report
        // twice the request to this worker, before the backend starts, so the request is what runs.
        Object.defineProperty(navigator, 'hardwareConcurrency', {
          value: 2 * params.wasmThreads,
          configurable: true,
        });
        setThreadsCount(params.wasmThreads);
      }
      const info = await initBackend(params.backend);
      if (info.backend !== params.backend) {
        const why = info.failures.map((f) => `${f.backend}: ${f.reason}`).join('; ');
        throw new Error(`backend ${params.backend} did not start (${why}); got ${info.backend}`);
      }
      backend = info.backend;
      const backendReady = performance.now();
      engine = await failOnUncaught(() => loadEngine(params));
      const modelsReady = performance.now();
      const env: EnvironmentReport = {
        backend: info.backend,
        renderer: info.renderer,
        isSoftwareRenderer: info.isSoftwareRenderer,
        wasm: info.wasm,
        crossOriginIsolated: self.crossOriginIsolated,
        hardwareConcurrency: navigator.hardwareConcurrency,
        tfjsVersion: tf.version_core,
        userAgent: navigator.userAgent,
      };
      const report: WorkerInitReport = {
        env,
        backendMs: backendReady - started,
        modelsMs: modelsReady - backendReady,
        modelLoadMs: engine?.modelLoadMs ?? {},
      };
      return report;
    },

    analyze(name, bytes) {
      const run = async () => {
        const photoEngine = engine;
        if (photoEngine === null) throw new Error('bench worker: no photo engine loaded');
        const clock = startStageClock();
        const image = await decodePhoto(bytes);
        clock.lap('decode');
        const faces = await failOnUncaught(() => photoEngine.analyze(image, clock));
        return {
          name,
          width: image.width,
          height: image.height,
          faces,
          totalMs: clock.elapsed(),
          stages: clock.stages,
          counts: clock.counts,
        };
      };
      const result = previous.then(run, run);
      previous = result.catch(() => {});
      return result;
    },

    async settled() {
      return (await engine?.settled()) ?? { warmUpMs: null };
    },

    async memory() {
      return tfMemory((await engine?.secondEngineTensors?.()) ?? null);
    },

    async gallery(options) {
      if (backend === null) throw new Error('bench worker: init() first');
      const { runGalleryBenchmark } = await import('./gallery-search.ts');
      return { backend, ...(await runGalleryBenchmark(options)) };
    },
  };
}

expose(createBenchWorker());
