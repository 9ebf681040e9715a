/**
 * The Node variant: FaceCheck's pipeline on tfjs WASM in Node (as the CLI runs it: sharp decode,
 * no crops) over the benchmark photos. Models ready → first photo (warm-up) → one steady pass.
 */
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { analyzeStaged, detectorOverridesFrom } from '../../bench/facecheck-staged.ts';
import { DEFAULT_LEVERS, type DetectorLevers } from '../../bench/protocol.ts';
import { startStageClock } from '../../bench/stage-clock.ts';
import { initNodeBackend, type NodeBackend } from '../../src/cli/backend.ts';
import { decodeImageFile } from '../../src/io/node-image.ts';
import { createEmbedder } from '../../src/pipeline/embedders/create.ts';
import { analyzeImage, createPixelStaging } from '../../src/pipeline/face-pipeline.ts';
import { createFaceDetector } from '../../src/pipeline/mtcnn/detector.ts';
import { readModelFile } from './model-files.ts';
import type { BenchPhoto } from './photos.ts';
import { keyMedians, median, p90, round } from './stats.ts';

export interface NodePhotoTiming {
  readonly name: string;
  readonly faces: number;
  readonly totalMs: number;
  readonly stages: Readonly<Record<string, number>>;
}

export interface NodeBenchReport {
  readonly backend: NodeBackend;
  readonly wasm: { readonly simd: boolean; readonly threads: number } | null;
  readonly nodeVersion: string;
  /** Detector levers under test (null = the app's defaults). */
  readonly detector: DetectorLevers;
  /** Backend init + model load (from disk), milliseconds. */
  readonly modelsReadyMs: number | null;
  readonly firstResultMs: number | null;
  readonly perPhotoMs: { readonly median: number | null; readonly p90: number | null };
  readonly stageMedianMs: Record<string, number | null>;
  readonly photosPerSecond: number | null;
  readonly photos: number;
  readonly facesPerPass: number;
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

interface NodeEngine {
  analyze(path: string): Promise<{ faces: number; stages: Record<string, number>; totalMs: number }>;
  dispose(): void;
}

async function createNodeEngine(stages: boolean, levers: DetectorLevers): Promise<NodeEngine> {
  const embedder = await createEmbedder('mobilefacenet', readModelFile);
  const detector = await createFaceDetector(readModelFile, detectorOverridesFrom(levers));
  const staging = createPixelStaging();
  if (!stages) {
    return {
      async analyze(path) {
        const clock = startStageClock();
        const image = await decodeImageFile(path);
        clock.lap('decode');
        const faces = await analyzeImage(image, detector, embedder, { crops: false, staging });
        clock.lap('detectAlignEmbed');
        return { faces: faces.length, stages: clock.stages, totalMs: clock.elapsed() };
      },
      dispose: () => {
        detector.dispose();
        embedder.dispose();
      },
    };
  }
  return {
    async analyze(path) {
      const clock = startStageClock();
      const image = await decodeImageFile(path);
      clock.lap('decode');
      const faces = await analyzeStaged(image, { detector, embedder, staging }, clock, { crops: false });
      return { faces, stages: clock.stages, totalMs: clock.elapsed() };
    },
    dispose: () => {
      detector.dispose();
      embedder.dispose();
    },
  };
}

export async function benchNode(
  photos: readonly BenchPhoto[],
  options: { readonly backend: NodeBackend; readonly stages: boolean; readonly detector?: DetectorLevers },
): Promise<NodeBenchReport> {
  const started = performance.now();
  const backend = await initNodeBackend(options.backend);
  if (backend !== options.backend)
    throw new Error(`Node backend ${options.backend} did not start (got ${backend})`);
  const engine = await createNodeEngine(options.stages, options.detector ?? DEFAULT_LEVERS);
  const modelsReadyMs = performance.now() - started;
  try {
    const tensorsBefore = tf.memory().numTensors;
    const firstPhoto = photos[0];
    if (firstPhoto === undefined) throw new Error('no photos to benchmark');
    const firstStarted = performance.now();
    await engine.analyze(firstPhoto.path);
    const firstResultMs = performance.now() - firstStarted;
    const passStarted = performance.now();
    const timings: NodePhotoTiming[] = [];
    for (const photo of photos) timings.push({ name: photo.name, ...(await engine.analyze(photo.path)) });
    const passMs = performance.now() - passStarted;
    const stageMedians = keyMedians(timings.map((t) => t.stages));
    return {
      backend,
      wasm:
        backend === 'wasm'
          ? { simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')), threads: getThreadsCount() }
          : null,
      nodeVersion: process.version,
      detector: options.detector ?? DEFAULT_LEVERS,
      modelsReadyMs: round(modelsReadyMs),
      firstResultMs: round(firstResultMs),
      perPhotoMs: {
        median: round(median(timings.map((t) => t.totalMs))),
        p90: round(p90(timings.map((t) => t.totalMs))),
      },
      stageMedianMs: Object.fromEntries(Object.entries(stageMedians).map(([k, v]) => [k, round(v)])),
      photosPerSecond: round(photos.length / (passMs / 1000), 2),
      photos: photos.length,
      facesPerPass: timings.reduce((n, t) => n + t.faces, 0),
      tensorsBefore,
      tensorsAfter: tf.memory().numTensors,
    };
  } finally {
    engine.dispose();
  }
}
