/**
 * FaceCheck in the bench worker, loaded exactly as the app's worker loads it: through the app's
 * model store (src/worker/model-store.ts), so cold start includes what the app pays for.
 */
import { analyzeImage, createPixelStaging } from '../src/pipeline/face-pipeline.ts';

import { faceDetectorFromNets } from '../src/pipeline/mtcnn/detector.ts';
import { warmUp } from '../src/pipeline/warm-up.ts';
import type { BackendName } from '../src/worker/api.ts';
import { createFetchReader, loadModels } from '../src/worker/model-store.ts';
import { offloadHelps, startOffload } from '../src/worker/offload-client.ts';
import { trimWebglCaches } from '../src/worker/webgl-caches.ts';
import { analyzeStaged, detectorOverridesFrom } from './facecheck-staged.ts';
import type { PhotoEngine } from './photo-engine.ts';
import type { BenchParams } from './protocol.ts';

export async function createFaceCheckEngine(
  backend: BackendName,
  modelsUrl: string,
  { stages, detector: levers, secondEngine }: Pick<BenchParams, 'stages' | 'detector' | 'secondEngine'>,
): Promise<PhotoEngine> {
  // As the app's worker starts it (src/worker/worker.ts), unless the run measures one engine alone.
  const second =
    secondEngine && offloadHelps(backend, navigator.hardwareConcurrency)
      ? startOffload(backend, modelsUrl)
      : null;
  const offload = second?.offload;
  const models = await loadModels(createFetchReader(modelsUrl), () => {}, offload);
  const embedder = await models.embedder('mobilefacenet');
  const overrides = detectorOverridesFrom(levers);
  // As the app's worker keeps one (src/worker/worker.ts).
  const staging = createPixelStaging();
  // The app's detector unless a lever is under test (same nets, other settings).
  const detector =
    Object.keys(overrides).length === 0
      ? models.detector
      : faceDetectorFromNets(
          {
            pnet: await models.graph('pnet'),
            rnet: await models.graph('rnet'),
            onet: await models.graph('onet'),
          },
          overrides,
          offload,
        );
  // As the app's worker warms up once it is ready (src/worker/worker.ts: on WASM only); photos wait
  // behind it there, and here too.
  const warming =
    backend !== 'wasm'
      ? Promise.resolve(null)
      : Promise.resolve(second?.ready()).then(async () => (await warmUp(detector, embedder, { offload })).ms);
  return {
    modelLoadMs: Object.fromEntries(models.info.map((m) => [m.id, m.loadMs])),
    secondEngineTensors: async () => {
      const state = await second?.state();
      return state?.phase === 'running' ? state.tensors : null;
    },
    settled: async () => {
      await models.settled();
      await second?.ready();
      return { warmUpMs: await warming };
    },
    analyze: async (image, clock) => {
      await warming;
      // Between photos, as the app's worker does (src/worker/worker.ts).
      trimWebglCaches();
      // Pieces of this photo the second engine computed, in the raw per-photo counts.
      const answeredBefore = second?.answered() ?? 0;
      const counted = <T>(faces: T): T => {
        clock.count('secondEngineCalls', (second?.answered() ?? 0) - answeredBefore);
        return faces;
      };
      if (stages) return counted(await analyzeStaged(image, { detector, embedder, offload, staging }, clock));
      // The app's own call, as src/worker/analysis.ts makes it, timed in two halves.
      const faces = await analyzeImage(image, detector, embedder, {
        crops: true,
        staging,
        ...(offload === undefined ? {} : { offload }),
        onEmbedding: () => clock.lap('detect'),
      });
      clock.lap('alignEmbed');
      clock.count('faces', faces.length);
      return counted(faces.length);
    },
  };
}
