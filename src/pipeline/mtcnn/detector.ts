/**
 * The MTCNN face detector (public API). DOM-free and backend-agnostic: the same code runs in the
 * browser worker (WebGL / WASM) and in Node (tests, CLI).
 *
 *   const detector = await createFaceDetector(readFile);      // or faceDetectorFromNets(loadedNets)
 *   const faces = await detector.detect(imageTensorOrRgbImage);   // DetectedFace[], no tensors
 *   detector.dispose();
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { type ArrayPool, createArrayPool } from '../array-pool.ts';
import { loadGraphModel, type ModelFileReader } from '../models/load-model.ts';
import type { NetOffload } from '../offload.ts';
import { boxCount } from './boxes.ts';
import {
  DEFAULT_DETECTOR_CONFIG,
  type DetectorConfig,
  type DetectorOverrides,
  resolveDetectorConfig,
} from './config.ts';
import { KEPT_TABLE_LENGTH } from './exact-area.ts';
import { type DetectorInput, type ImageGeometry, imageGeometry, inputShape } from './input.ts';
import { proposeFaces } from './pnet-stage.ts';
import { pyramidLevels, smallestFace } from './pyramid.ts';
import { type FaceCandidates, outputFaces, refineFaces } from './refine-stage.ts';
import { createImageSampler } from './sampler.ts';

export type Point = readonly [x: number, y: number];

/**
 * One face in the caller's image pixels. `box` is [x1, y1, x2, y2] in MTCNN's convention (the box
 * covers pixel edges [x1 − 1, x2]; see boxes.ts) and may reach outside the image. Landmarks are the
 * left eye, right eye, nose, left and right mouth corner, "left" meaning image left.
 */
export interface DetectedFace {
  readonly box: readonly [x1: number, y1: number, x2: number, y2: number];
  /** O-Net face probability. */
  readonly score: number;
  readonly landmarks: readonly [
    leftEye: Point,
    rightEye: Point,
    nose: Point,
    mouthLeft: Point,
    mouthRight: Point,
  ];
}

/**
 * Reported once per stage, right after that stage's single device read (so a listener that reads
 * the clock times the stage honestly on every backend): for benchmarks and progress, never results.
 */
export type DetectorStageEvent =
  | { readonly stage: 'pnet'; readonly levels: number; readonly candidates: number }
  | { readonly stage: 'rnet'; readonly candidates: number }
  | { readonly stage: 'onet'; readonly faces: number };

export type DetectorStageListener = (event: DetectorStageEvent) => void;

export interface FaceDetector {
  /** The detector's validated configuration (frozen). */
  readonly config: DetectorConfig;
  /**
   * Every face in `image`, highest score first (ties: larger box first). `overrides` apply to this
   * call only. Tiny, blank, grey and RGBA images give zero or correct faces; never throws for them.
   */
  detect(
    image: DetectorInput,
    overrides?: DetectorOverrides,
    onStage?: DetectorStageListener,
  ): Promise<DetectedFace[]>;
  /**
   * detect() afterwards throws. Frees the three networks' weights when the detector loaded them
   * (createFaceDetector), not when they were lent to it (faceDetectorFromNets). Await pending
   * detect() calls first.
   */
  dispose(): void;
}

export interface CascadeNets {
  readonly pnet: GraphModel;
  readonly rnet: GraphModel;
  readonly onet: GraphModel;
}

/** Loads P-, R- and O-Net through `readFile` and returns a detector that owns them. Invalid config throws first. */
export async function createFaceDetector(
  readFile: ModelFileReader,
  config: DetectorOverrides = {},
): Promise<FaceDetector> {
  // Validated before any weight is fetched, so a bad config costs nothing.
  const base = resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, config);
  const loaded = await Promise.allSettled([
    loadGraphModel('pnet', readFile),
    loadGraphModel('rnet', readFile),
    loadGraphModel('onet', readFile),
  ]);
  const [pnet, rnet, onet] = loaded.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  if (pnet === undefined || rnet === undefined || onet === undefined) {
    for (const model of [pnet, rnet, onet]) model?.dispose();
    throw (loaded.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }
  return detectorOn({ pnet, rnet, onet }, base, () => {
    for (const model of [pnet, rnet, onet]) model.dispose();
  });
}

/**
 * A detector on P-, R- and O-Net someone else already loaded (the browser worker loads them once
 * for the detector and its diagnostics). The nets stay the caller's: dispose() does not free them.
 * With `offload`, part of every stage runs on that second engine when it has the net (offload.ts).
 */
export function faceDetectorFromNets(
  nets: CascadeNets,
  config: DetectorOverrides = {},
  offload?: NetOffload,
): FaceDetector {
  return detectorOn(nets, resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, config), () => {}, offload);
}

/** What one detector keeps for all its photos besides the nets. */
interface CascadeResources {
  /** The summed-area tables' memory, reused from photo to photo (exact-area.ts). */
  readonly tables: ArrayPool<Float64Array>;
  readonly offload: NetOffload | undefined;
}

function detectorOn(
  nets: CascadeNets,
  base: DetectorConfig,
  disposeNets: () => void,
  offload?: NetOffload,
): FaceDetector {
  let disposed = false;
  const resources: CascadeResources = {
    tables: createArrayPool(Float64Array, KEPT_TABLE_LENGTH),
    offload,
  };
  return {
    config: base,
    detect: async (image, overrides, onStage) => {
      if (disposed) throw new Error('FaceDetector.detect() called after dispose()');
      const config = overrides === undefined ? base : resolveDetectorConfig(base, overrides);
      return detectFaces(nets, config, image, resources, onStage);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      disposeNets();
    },
  };
}

/** Runs the cascade; every tensor it creates is disposed before it returns or throws. */
async function detectFaces(
  nets: CascadeNets,
  config: DetectorConfig,
  input: DetectorInput,
  { tables, offload }: CascadeResources,
  onStage?: DetectorStageListener,
): Promise<DetectedFace[]> {
  const [height, width] = inputShape(input);
  const geometry = imageGeometry(height, width, config);
  const { detectionHeight, detectionWidth } = geometry;
  // Crops are addressed relative to (side − 1); a 1-pixel-thin image cannot hold a face anyway.
  if (config.maxFaces === 0 || detectionHeight < 2 || detectionWidth < 2) return [];
  const minFace = smallestFace(geometry, config);
  const levels = pyramidLevels(detectionHeight, detectionWidth, minFace, config.scaleFactor);
  if (levels.length === 0) return [];
  const sampler = await createImageSampler(input, geometry, config.resampling, tables);
  try {
    const proposals = await proposeFaces(nets.pnet, sampler, levels, config, offload);
    onStage?.({ stage: 'pnet', levels: levels.length, candidates: boxCount(proposals.boxes) });
    const refined = await refineFaces(nets.rnet, sampler, proposals, config, offload);
    onStage?.({ stage: 'rnet', candidates: boxCount(refined.boxes) });
    const faces = await outputFaces(nets.onet, sampler, refined, config, offload);
    const detected = toDetectedFaces(faces, geometry).slice(0, config.maxFaces);
    onStage?.({ stage: 'onet', faces: detected.length });
    return detected;
  } finally {
    sampler.dispose();
  }
}

/**
 * Candidates → DetectedFace[] in the caller's pixels, sorted. When the cap downscaled the image,
 * edges scale by the size ratio: x2 and landmarks are edge coordinates, x1 is one past its edge.
 */
export function toDetectedFaces(faces: FaceCandidates, geometry: ImageGeometry): DetectedFace[] {
  const sx = geometry.width / geometry.detectionWidth;
  const sy = geometry.height / geometry.detectionHeight;
  const at = (array: Float32Array, i: number) => array[i] as number;
  const result: DetectedFace[] = [];
  for (let i = 0; i < boxCount(faces.boxes); i++) {
    const point = (p: number): Point => [
      at(faces.landmarks, 10 * i + 2 * p) * sx,
      at(faces.landmarks, 10 * i + 2 * p + 1) * sy,
    ];
    result.push({
      box: [
        (at(faces.boxes, 4 * i) - 1) * sx + 1,
        (at(faces.boxes, 4 * i + 1) - 1) * sy + 1,
        at(faces.boxes, 4 * i + 2) * sx,
        at(faces.boxes, 4 * i + 3) * sy,
      ],
      score: at(faces.scores, i),
      landmarks: [point(0), point(1), point(2), point(3), point(4)],
    });
  }
  const area = ({ box: [x1, y1, x2, y2] }: DetectedFace) => (x2 - x1) * (y2 - y1);
  return result.sort((a, b) => b.score - a.score || area(b) - area(a));
}
