/**
 * FaceCheck in the bench worker, loaded exactly as the app's worker loads it: through the app's
 * model store (src/worker/model-store.ts), so cold start includes what the app pays for.
 */
import { analyzeImage, uploadImage } from '../src/pipeline/face-pipeline.ts';

import { faceDetectorFromNets } from '../src/pipeline/mtcnn/detector.ts';
import { createFetchReader, loadModels } from '../src/worker/model-store.ts';
import { trimWebglCaches } from '../src/worker/webgl-caches.ts';
import { analyzeStaged, detectorOverridesFrom } from './facecheck-staged.ts';
import type { PhotoEngine } from './photo-engine.ts';
import type { DetectorLevers } from './protocol.ts';

export async function createFaceCheckEngine(
  modelsUrl: string,
  stages: boolean,
  levers: DetectorLevers,
): Promise<PhotoEngine> {
  const models = await loadModels(createFetchReader(modelsUrl), () => {});
  const embedder = await models.embedder('mobilefacenet');
  const overrides = detectorOverridesFrom(levers);
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
        );
  return {
    modelLoadMs: Object.fromEntries(models.info.map((m) => [m.id, m.loadMs])),
    settled: () => models.settled(),
    analyze: async (image, clock) => {
      // Between photos, as the app's worker does (src/worker/worker.ts).
      trimWebglCaches();
      if (stages) return analyzeStaged(image, { detector, embedder }, clock);
      // The app's own call, as src/worker/analysis.ts makes it, timed in two halves.
      const tensor = uploadImage(image);
      try {
        const faces = await analyzeImage(tensor, detector, embedder, {
          crops: true,
          onEmbedding: () => clock.lap('detect'),
        });
        clock.lap('alignEmbed');
        clock.count('faces', faces.length);
        return faces.length;
      } finally {
        tensor.dispose();
      }
    },
  };
}
