/**
 * FaceCheck's pipeline (MTCNN → alignment → MobileFaceNet) with a lap per stage, for the benchmark.
 *
 * It runs the app's own `analyzeImage` and takes its laps from the pipeline's `onStage` callback,
 * which fires right after each stage's device read (P-Net, R-Net, O-Net), after alignment (the
 * pipeline then adds a one-value read: free on WASM/CPU, the price of telling the two apart on
 * WebGL) and after the read of embeddings and crops. Nothing here mirrors the pipeline. DOM-free:
 * runs in the worker and in Node.
 */
import type { Embedder } from '../src/pipeline/embedders/embedder.ts';
import {
  analyzeImage,
  type PipelineStageEvent,
  type PixelStaging,
  withImageTensor,
} from '../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../src/pipeline/image.ts';
import type { DetectorOverrides } from '../src/pipeline/mtcnn/config.ts';
import type { FaceDetector } from '../src/pipeline/mtcnn/detector.ts';
import type { NetOffload } from '../src/pipeline/offload.ts';
import type { DetectorLevers } from './protocol.ts';
import type { StageClock } from './stage-clock.ts';

/** Stage names, in pipeline order, as they appear in the reports. */
export const FACECHECK_STAGES = ['upload', 'pnet', 'rnet', 'onet', 'align', 'embed'] as const;

export interface StagedModels {
  readonly detector: FaceDetector;
  readonly embedder: Embedder;
  /** The second engine, for the embedding (the detector has its own). */
  readonly offload?: NetOffload | undefined;
  /** Host memory the upload reuses, as the app's worker keeps one. */
  readonly staging?: PixelStaging;
}

export interface StagedOptions {
  /** Return the aligned crops with the embeddings, as the app does for thumbnails. Default true. */
  readonly crops?: boolean;
}

/** The levers under test as detector overrides (only those that are set; validated by the detector). */
export function detectorOverridesFrom(levers: DetectorLevers): DetectorOverrides {
  const set = Object.entries(levers).filter(([, value]) => value !== null);
  return Object.fromEntries(set) as DetectorOverrides;
}

/** Lap and counts per pipeline event. */
function recordStage(clock: StageClock, event: PipelineStageEvent): void {
  clock.lap(event.stage);
  if (event.stage === 'pnet') {
    clock.count('pyramidLevels', event.levels);
    clock.count('pnetBoxes', event.candidates);
  } else if (event.stage === 'rnet') {
    clock.count('rnetBoxes', event.candidates);
  }
}

/** Detect → align → embed every face of `image` with a lap per stage; returns the face count. */
export async function analyzeStaged(
  image: RgbImage,
  models: StagedModels,
  clock: StageClock,
  options: StagedOptions = {},
): Promise<number> {
  // The pipeline's own upload (through the staging array), lapped before detection starts.
  return withImageTensor(image, models.staging, async (tensor) => {
    clock.lap('upload');
    const faces = await analyzeImage(tensor, models.detector, models.embedder, {
      crops: options.crops ?? true,
      ...(models.offload === undefined ? {} : { offload: models.offload }),
      onStage: (event) => recordStage(clock, event),
    });
    clock.count('faces', faces.length);
    return faces.length;
  });
}
