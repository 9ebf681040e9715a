/**
 * FaceCheck in the bench worker, loaded exactly as the app's worker loads it: every model of
 * public/models through the app's model store (src/worker/model-store.ts), so cold start includes
 * what the app pays for (anti-spoofing and the second embedder too).
 */
import { embedDetectedFaces } from '../src/pipeline/face-pipeline.ts';
import { imageToTensor } from '../src/pipeline/image.ts';
import { createFetchReader, loadModels } from '../src/worker/model-store.ts';
import { analyzeStaged, detectorConfigWith } from './facecheck-staged.ts';
import type { PhotoEngine } from './photo-engine.ts';
import { DEFAULT_LEVERS, type DetectorLevers } from './protocol.ts';

const boxArea = ({ box: [x1, y1, x2, y2] }: { box: readonly number[] }) =>
  Math.max(0, (x2 ?? 0) - (x1 ?? 0)) * Math.max(0, (y2 ?? 0) - (y1 ?? 0));

export async function createFaceCheckEngine(
  modelsUrl: string,
  stages: boolean,
  levers: DetectorLevers,
): Promise<PhotoEngine> {
  const changed =
    levers.maxDetectionSide !== DEFAULT_LEVERS.maxDetectionSide ||
    levers.minFaceSize !== DEFAULT_LEVERS.minFaceSize;
  if (changed && !stages)
    throw new Error('detector levers need the staged mode (they bypass the app detector)');
  const config = detectorConfigWith(levers);
  const models = await loadModels(createFetchReader(modelsUrl), () => {});
  const embedder = models.embedder('mobilefacenet');
  const staged = {
    pnet: models.graph('pnet'),
    rnet: models.graph('rnet'),
    onet: models.graph('onet'),
    embedder,
  };
  return {
    modelLoadMs: Object.fromEntries(models.info.map((m) => [m.id, m.loadMs])),
    analyze: async (image, clock) => {
      if (stages) return analyzeStaged(image, staged, clock, { config });
      // The app's own calls, as src/worker/analysis.ts makes them.
      const tensor = imageToTensor(image);
      try {
        const detections = await models.detector.detect(tensor);
        clock.lap('detect');
        const ordered = [...detections].sort((a, b) => boxArea(b) - boxArea(a));
        const faces = await embedDetectedFaces(tensor, ordered, embedder, { crops: true });
        clock.lap('alignEmbed');
        clock.count('faces', faces.length);
        return faces.length;
      } finally {
        tensor.dispose();
      }
    },
  };
}
