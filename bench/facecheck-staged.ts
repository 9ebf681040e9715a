/**
 * FaceCheck's pipeline (MTCNN → alignment → MobileFaceNet) with a lap per stage, for the benchmark.
 *
 * The pipeline files stay untouched: this module calls the same exported stage functions, in the
 * same order and with the same arguments, as `detectFaces` (src/pipeline/mtcnn/detector.ts) and
 * `embedDetectedFaces` (src/pipeline/face-pipeline.ts), and takes a lap where those already wait
 * for the device. The one addition is a 1-value read between alignment and embedding (the app
 * reads once after both): on WASM/CPU kernels run when dispatched, so it costs microseconds; on
 * WebGL it is the price of seeing the two stages apart. DOM-free: runs in the worker and in Node.
 *
 * If the pipeline's orchestration changes, mirror it here (or, better, give the pipeline an
 * optional stage callback and delete this file; see docs/benchmarks.md).
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import type { Point } from '../src/pipeline/align/similarity.ts';
import { alignFaces } from '../src/pipeline/align/warp.ts';
import type { Embedder } from '../src/pipeline/embedders/embedder.ts';
import { imageToTensor, type RgbImage } from '../src/pipeline/image.ts';
import { boxCount } from '../src/pipeline/mtcnn/boxes.ts';
import {
  DEFAULT_DETECTOR_CONFIG,
  type DetectorConfig,
  resolveDetectorConfig,
} from '../src/pipeline/mtcnn/config.ts';
import { type DetectedFace, toDetectedFaces } from '../src/pipeline/mtcnn/detector.ts';
import { imageGeometry, inputShape } from '../src/pipeline/mtcnn/input.ts';
import { proposeFaces } from '../src/pipeline/mtcnn/pnet-stage.ts';
import { pyramidLevels } from '../src/pipeline/mtcnn/pyramid.ts';
import { outputFaces, refineFaces } from '../src/pipeline/mtcnn/refine-stage.ts';
import { createImageSampler } from '../src/pipeline/mtcnn/sampler.ts';
import type { DetectorLevers } from './protocol.ts';
import type { StageClock } from './stage-clock.ts';

/** Stage names, in pipeline order, as they appear in the reports. */
export const FACECHECK_STAGES = ['upload', 'pnet', 'rnet', 'onet', 'align', 'embed'] as const;

export interface StagedModels {
  readonly pnet: GraphModel;
  readonly rnet: GraphModel;
  readonly onet: GraphModel;
  readonly embedder: Embedder;
}

export interface StagedOptions {
  /** Return the aligned crops with the embeddings, as the app does for thumbnails. Default true. */
  readonly crops?: boolean;
  /** Faces per embedder forward pass; the pipeline's default is 16. */
  readonly maxBatch?: number;
  readonly config?: DetectorConfig;
}

/** The app's detector configuration with the levers under test applied (validated). */
export function detectorConfigWith(levers: DetectorLevers): DetectorConfig {
  return resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, {
    ...(levers.maxDetectionSide === null ? {} : { maxDetectionSide: levers.maxDetectionSide }),
    ...(levers.minFaceSize === null ? {} : { minFaceSize: levers.minFaceSize }),
  });
}

const boxArea = ({ box: [x1, y1, x2, y2] }: DetectedFace) => Math.max(0, x2 - x1) * Math.max(0, y2 - y1);

/** detectFaces, with laps 'pnet' (pyramid + P-Net + proposals), 'rnet' and 'onet'. */
async function detectStaged(
  models: StagedModels,
  config: DetectorConfig,
  image: tf.Tensor3D,
  clock: StageClock,
): Promise<DetectedFace[]> {
  const [height, width] = inputShape(image);
  const geometry = imageGeometry(height, width, config.maxDetectionSide);
  if (config.maxFaces === 0 || geometry.detectionHeight < 2 || geometry.detectionWidth < 2) return [];
  const levels = pyramidLevels(
    geometry.detectionHeight,
    geometry.detectionWidth,
    config.minFaceSize,
    config.scaleFactor,
  );
  clock.count('pyramidLevels', levels.length);
  if (levels.length === 0) return [];
  const sampler = await createImageSampler(image, geometry, config.resampling);
  try {
    const proposals = await proposeFaces(models.pnet, sampler, levels, config);
    clock.lap('pnet');
    clock.count('pnetBoxes', boxCount(proposals.boxes));
    const refined = await refineFaces(models.rnet, sampler, proposals, config);
    clock.lap('rnet');
    clock.count('rnetBoxes', boxCount(refined.boxes));
    const faces = await outputFaces(models.onet, sampler, refined, config);
    const detected = toDetectedFaces(faces, geometry).slice(0, config.maxFaces);
    clock.lap('onet');
    return detected;
  } finally {
    sampler.dispose();
  }
}

/** Forces the device to finish computing `t` by reading one value of it. */
async function settle(t: tf.Tensor4D): Promise<void> {
  const corner = tf.slice(t, [0, 0, 0, 0], [1, 1, 1, 1]);
  try {
    await corner.data();
  } finally {
    corner.dispose();
  }
}

/**
 * embedDetectedFaces' body (crops on, as the app asks), split at the alignment: one batched warp,
 * then forward passes of at most `maxBatch` faces and one read of embeddings and crop pixels.
 */
async function alignAndEmbedStaged(
  image: tf.Tensor3D,
  faces: readonly DetectedFace[],
  embedder: Embedder,
  withCrops: boolean,
  maxBatch: number,
  clock: StageClock,
): Promise<number> {
  const points: Point[][] = faces.map((f) => f.landmarks.map(([x, y]) => [x, y] as const));
  const aligned = alignFaces(image, points, embedder.template);
  let packed: tf.Tensor2D;
  try {
    await settle(aligned);
    clock.lap('align');
    const n = aligned.shape[0];
    packed = tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      for (let start = 0; start < n; start += maxBatch) {
        const count = Math.min(maxBatch, n - start);
        // One tidy per chunk frees its activations before the next, as the pipeline does.
        parts.push(
          tf.tidy(() => {
            const chunk = count === n ? aligned : tf.slice(aligned, [start, 0, 0, 0], [count, -1, -1, -1]);
            const emb = embedder.forward(chunk);
            if (!withCrops) return emb;
            const pixels = tf.reshape(tf.round(tf.clipByValue(chunk, 0, 255)), [count, -1]);
            return tf.concat([emb, pixels], 1) as tf.Tensor2D;
          }),
        );
      }
      return parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
    });
  } finally {
    aligned.dispose();
  }
  try {
    await packed.data();
  } finally {
    packed.dispose();
  }
  clock.lap('embed');
  return faces.length;
}

/** Detect → align → embed every face of `image` with a lap per stage; returns the face count. */
export async function analyzeStaged(
  image: RgbImage,
  models: StagedModels,
  clock: StageClock,
  options: StagedOptions = {},
): Promise<number> {
  const tensor = imageToTensor(image);
  clock.lap('upload');
  try {
    const detected = await detectStaged(models, options.config ?? DEFAULT_DETECTOR_CONFIG, tensor, clock);
    // Largest first, as the app orders them before embedding.
    const ordered = [...detected].sort((a, b) => boxArea(b) - boxArea(a));
    clock.count('faces', ordered.length);
    if (ordered.length === 0) return 0;
    return await alignAndEmbedStaged(
      tensor,
      ordered,
      models.embedder,
      options.crops ?? true,
      options.maxBatch ?? 16,
      clock,
    );
  } finally {
    tensor.dispose();
  }
}
