/**
 * Image → faces with embeddings: detect (MTCNN) → align every face to the embedder's template in one
 * batched warp → embed in batches → one device→host read carrying embeddings and (optionally) the
 * aligned crops. Returns plain data only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isImportedEmbedderId } from '../models/embedders.ts';
import type { Point } from './align/similarity.ts';
import { ARCFACE_112, type LandmarkTemplate } from './align/templates.ts';
import { type AlignOptions, alignFaces, realignCrops } from './align/warp.ts';
import { type ArrayPool, createArrayPool } from './array-pool.ts';
import { firstRows, padBatch } from './batch-buckets.ts';
import { cropFaceBoxes } from './embedders/box-crop.ts';
import type { AnyEmbedder, Embedder } from './embedders/embedder.ts';
import { imageToTensor, type RgbImage } from './image.ts';
import { DEFAULT_DETECTOR_CONFIG } from './mtcnn/config.ts';
import type { DetectorStageEvent } from './mtcnn/detector.ts';
import { localShare, type NetOffload } from './offload.ts';

export type Box = [number, number, number, number];

/** What the detector reports per face (src/pipeline/mtcnn: `DetectedFace`). */
export interface DetectedFaceLike {
  /** [x1, y1, x2, y2] in image pixels; may extend past the border. */
  readonly box: readonly number[];
  readonly score: number;
  /** Left eye, right eye, nose, mouth left, mouth right (image-left first). */
  readonly landmarks: readonly (readonly number[])[];
}

/** The one detector setting the pipeline adjusts per image (see AnalyzeOptions.sourceScale). */
export interface DetectOverridesLike {
  readonly minFaceLimit?: number;
}

export interface FaceDetectorLike {
  /** `onStage` (optional to implement) reports the detector's stages; the pipeline never needs it. */
  detect(
    image: tf.Tensor3D | RgbImage,
    overrides?: DetectOverridesLike,
    onStage?: (event: DetectorStageEvent) => void,
  ): Promise<readonly DetectedFaceLike[]>;
}

/**
 * One pipeline stage finished: the detector's three (after each stage's device read), then 'align'
 * (the batched warp, after a one-value read so the lap is honest on asynchronous backends) and
 * 'embed' (forward passes and the read of embeddings and crops). For benchmarks and progress.
 */
export type PipelineStageEvent =
  | DetectorStageEvent
  | { readonly stage: 'align'; readonly faces: number }
  | { readonly stage: 'embed'; readonly faces: number };

export type PipelineStageListener = (event: PipelineStageEvent) => void;

export interface AnalyzedFace {
  readonly box: Box;
  readonly score: number;
  readonly landmarks: [number, number][];
  readonly embedding: Float32Array;
  /** The aligned crop the embedder saw (inputSize², RGB bytes), when asked for. */
  readonly crop: RgbImage | null;
}

export interface AnalyzeOptions {
  /** Return the aligned crops (for thumbnails). Default true. */
  readonly crops?: boolean;
  /** Ignore detections scoring below this. Default: keep all the detector returns. */
  readonly minScore?: number;
  /**
   * Black border (pixels per side) added before detection only, for tight crops where the face
   * fills the frame and MTCNN's boxes would reach past the border. Boxes and landmarks come back in
   * the original image's pixels; alignment zero-fills outside the image either way. Default 0.
   */
  readonly detectPadding?: number;
  /** Keep at most this many faces, largest boxes first. Default: all. */
  readonly maxFaces?: number;
  /**
   * Decoded size ÷ the photo's own size, when decoding shrank it (the input policy's 4096 px limit);
   * default 1. The detector's minFaceLimit means pixels of the PHOTO, so it is scaled by this: a
   * 24 MP photo decoded at 4096 px still has its 40 px faces looked for.
   */
  readonly sourceScale?: number;
  /** Faces per forward pass; default 16. */
  readonly maxBatch?: number;
  readonly align?: AlignOptions;
  /**
   * Called after each stage (see PipelineStageEvent). When given, alignment is followed by one extra
   * one-value device read (free on WASM/CPU, a sync point on WebGL) so 'align' and 'embed' can be
   * told apart.
   */
  readonly onStage?: PipelineStageListener;
  /**
   * A second engine (offload.ts): when it has the embedder, half of the faces are embedded there.
   * The detector takes its own (faceDetectorFromNets). Results are the same with or without it.
   */
  readonly offload?: NetOffload;
  /** Host memory an RgbImage's upload reuses (createPixelStaging); default: a new array per image. */
  readonly staging?: PixelStaging;
}

// Structural, not instanceof: a second copy of tfjs-core (e.g. in a bundle) has its own Tensor class.
const isTensor = (x: tf.Tensor3D | RgbImage): x is tf.Tensor3D => 'shape' in x;

/**
 * An RgbImage as a float32 [H, W, 3] tensor. The detector and the alignment compute in float32, so
 * uploading floats (one host-side conversion) spares them a device copy of the whole image; int32
 * (imageToTensor) would take the same memory. The floats are written to `values` when given (stale
 * values, exactly width · height · 3 of them: a staging array, see PixelStaging); the tensor may keep
 * them (the CPU backend does), so `values` must not be reused before the tensor is disposed.
 */
export function uploadImage(image: RgbImage, values?: Float32Array): tf.Tensor3D {
  const { width, height, data } = image;
  if (data.length !== width * height * 3) {
    throw new Error(`image buffer has ${data.length} bytes, expected ${width}×${height}×3`);
  }
  if (values === undefined) return tf.tensor3d(new Float32Array(data), [height, width, 3], 'float32');
  if (values.length !== data.length)
    throw new Error(`staging array has ${values.length} values, expected ${data.length}`);
  values.set(data);
  return tf.tensor3d(values, [height, width, 3], 'float32');
}

/**
 * Host memory for the floats of one photo's upload, reused from photo to photo (array-pool.ts): a
 * 2 MP photo's are 24 MB, and allocating them anew was most of the upload's time. Whoever analyses
 * photo after photo (the worker, the bench, the CLI) keeps one and passes it as `staging`.
 */
export type PixelStaging = ArrayPool<Float32Array>;

/** Photos up to 4.2 MP (50 MB of floats) are staged in the kept array; larger ones get their own. */
export const createPixelStaging = (): PixelStaging => createArrayPool(Float32Array, 4_200_000 * 3);

/**
 * `use` on `image` as a float32 tensor: a tensor as it is, an RgbImage uploaded (through `staging`
 * when given) and disposed once `use` is done; the staging array goes back even when `use` throws.
 */
export async function withImageTensor<T>(
  image: RgbImage | tf.Tensor3D,
  staging: PixelStaging | undefined,
  use: (tensor: tf.Tensor3D) => Promise<T>,
): Promise<T> {
  if (isTensor(image)) return use(image);
  const values = staging?.take(image.data.length);
  try {
    const tensor = uploadImage(image, values);
    try {
      return await use(tensor);
    } finally {
      tensor.dispose();
    }
  } finally {
    // After the dispose: the CPU backend keeps `values` as the tensor's own data.
    if (values !== undefined) staging?.give(values);
  }
}

const boxArea = (b: readonly number[]) =>
  Math.max(0, (b[2] ?? 0) - (b[0] ?? 0)) * Math.max(0, (b[3] ?? 0) - (b[1] ?? 0));

function toPoints(landmarks: readonly (readonly number[])[]): Point[] {
  if (landmarks.length !== 5) throw new Error(`a face needs 5 landmarks, got ${landmarks.length}`);
  return landmarks.map((p) => {
    const [x, y] = p;
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`invalid landmark [${p.join(', ')}]`);
    }
    return [x, y] as const;
  });
}

/**
 * Embeds faces whose landmarks are known (from the detector, a fixture or the user): one batched
 * alignment warp, forward passes of at most `maxBatch` faces, one read.
 */
export async function embedDetectedFaces(
  image: tf.Tensor3D | RgbImage,
  faces: readonly DetectedFaceLike[],
  embedder: AnyEmbedder,
  options: AnalyzeOptions = {},
): Promise<AnalyzedFace[]> {
  if (faces.length === 0) return [];
  const withCrops = options.crops ?? true;
  const maxBatch = options.maxBatch ?? 16;
  const size = embedder.inputSize;
  const points = faces.map((f) => toPoints(f.landmarks));
  const aligned = await withImageTensor(image, options.staging, async (source) =>
    embedder.faceCrop === 'box'
      ? cropFaceBoxes(
          source,
          faces.map((f) => f.box),
          size,
        )
      : alignFaces(source, points, embedder.template, options.align),
  );
  if (options.onStage !== undefined) {
    try {
      await settle(aligned);
      options.onStage({ stage: 'align', faces: faces.length });
    } catch (error) {
      aligned.dispose();
      throw error;
    }
  }
  let rows: EmbeddedRow[];
  try {
    rows = await embedRows(aligned, embedder, withCrops, maxBatch, options.offload);
  } finally {
    aligned.dispose();
  }
  options.onStage?.({ stage: 'embed', faces: faces.length });
  return faces.map((face, i) => {
    const row = rows[i] as EmbeddedRow;
    return {
      box: [face.box[0] ?? 0, face.box[1] ?? 0, face.box[2] ?? 0, face.box[3] ?? 0],
      score: face.score,
      landmarks: (points[i] as Point[]).map(([x, y]) => [x, y]),
      embedding: row.embedding,
      crop: row.crop === null ? null : { width: size, height: size, data: row.crop },
    };
  });
}

/** One face's embedding and, when asked, its aligned crop's rounded pixels. */
interface EmbeddedRow {
  readonly embedding: Float32Array;
  readonly crop: Uint8Array | null;
}

/** The aligned crop's pixels as the thumbnails get them: rounded, within 0..255. */
const thumbnailPixels = (faces: tf.Tensor4D): tf.Tensor4D => tf.round(tf.clipByValue(faces, 0, 255));

/** Rows [from, to) of `aligned` (not consumed) as a new tensor. */
const rowsOf = (aligned: tf.Tensor4D, from: number, to: number): tf.Tensor4D =>
  from === 0 && to === aligned.shape[0]
    ? tf.clone(aligned)
    : tf.slice(aligned, [from, 0, 0, 0], [to - from, -1, -1, -1]);

/** `aligned` rows [from, to) embedded here: one read carrying embeddings and crops. */
async function rowsHere(
  aligned: tf.Tensor4D,
  from: number,
  to: number,
  embedder: AnyEmbedder,
  withCrops: boolean,
  maxBatch: number,
): Promise<EmbeddedRow[]> {
  if (to === from) return [];
  const packed = batchedRows(rowsOf(aligned, from, to), embedder, withCrops, maxBatch);
  let data: Float32Array;
  try {
    data = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const crop = withCrops ? embedder.inputSize ** 2 * 3 : 0;
  const stride = embedder.dim + crop;
  return Array.from({ length: to - from }, (_, i) => {
    const row = data.subarray(i * stride, (i + 1) * stride);
    return {
      embedding: row.slice(0, embedder.dim),
      crop: withCrops ? Uint8Array.from(row.subarray(embedder.dim)) : null,
    };
  });
}

/**
 * Sends `aligned` rows [from, end) to the second engine, after one read of their pixels and (for the
 * thumbnails) their rounded crops, computed here as rowsHere computes them. `rows` resolves to null
 * when the second engine failed.
 */
async function sendRows(
  aligned: tf.Tensor4D,
  from: number,
  embedder: Embedder,
  withCrops: boolean,
  offload: NetOffload,
): Promise<{ rows: Promise<EmbeddedRow[] | null> }> {
  const count = aligned.shape[0] - from;
  const size = embedder.inputSize;
  const packed = tf.tidy(() => {
    const faces = rowsOf(aligned, from, aligned.shape[0]);
    const flat = tf.reshape(faces, [-1]);
    return withCrops ? tf.concat([flat, tf.reshape(thumbnailPixels(faces), [-1])]) : flat;
  });
  let data: Float32Array;
  try {
    data = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const values = count * size * size * 3;
  const crops = withCrops ? Uint8Array.from(data.subarray(values)) : null;
  const rows = offload
    .embed(embedder.id, { values: data.slice(0, values), shape: [count, size, size, 3] })
    .then((embeddings) => {
      if (embeddings.length !== count * embedder.dim)
        throw new Error('the second engine returned the wrong size');
      return Array.from({ length: count }, (_, i) => ({
        embedding: embeddings.slice(i * embedder.dim, (i + 1) * embedder.dim),
        crop: crops === null ? null : crops.slice((i * values) / count, ((i + 1) * values) / count),
      }));
    })
    .catch(() => null);
  return { rows };
}

/**
 * Every face of `aligned` embedded (not consumed). With a second engine that has this embedder
 * (offload.ts), the second half of the faces runs there while this engine embeds the first.
 */
async function embedRows(
  aligned: tf.Tensor4D,
  embedder: AnyEmbedder,
  withCrops: boolean,
  maxBatch: number,
  offload: NetOffload | undefined,
): Promise<EmbeddedRow[]> {
  const n = aligned.shape[0];
  const shipped = isShippedEmbedder(embedder) ? embedder : null;
  const here = shipped !== null && offload?.has(shipped.id) === true ? localShare(n, 2) : n;
  if (here === n || shipped === null || offload === undefined) {
    return rowsHere(aligned, 0, n, embedder, withCrops, maxBatch);
  }
  const there = await sendRows(aligned, here, shipped, withCrops, offload);
  const first = await rowsHere(aligned, 0, here, embedder, withCrops, maxBatch);
  // A failed second engine costs time, never a result: its faces are embedded here instead.
  const rest = (await there.rows) ?? (await rowsHere(aligned, here, n, embedder, withCrops, maxBatch));
  return [...first, ...rest];
}

const isShippedEmbedder = (embedder: AnyEmbedder): embedder is Embedder => !isImportedEmbedderId(embedder.id);

/** Waits until the device has computed `t`, by reading one of its values. */
async function settle(t: tf.Tensor4D): Promise<void> {
  if (t.size === 0) return;
  const corner = tf.slice(t, [0, 0, 0, 0], [1, 1, 1, 1]);
  try {
    await corner.data();
  } finally {
    corner.dispose();
  }
}

/**
 * `[N, dim (+ size²·3)]`: embeddings, followed by the rounded crop pixels when asked. Each chunk of
 * `maxBatch` faces runs in its own tidy (bounded memory); `aligned` is consumed.
 */
function batchedRows(
  aligned: tf.Tensor4D,
  embedder: AnyEmbedder,
  withCrops: boolean,
  maxBatch: number,
): tf.Tensor2D {
  const n = aligned.shape[0];
  const parts: tf.Tensor2D[] = [];
  let done = false;
  try {
    for (let start = 0; start < n; start += maxBatch) {
      const count = Math.min(maxBatch, n - start);
      parts.push(
        tf.tidy(() => {
          const chunk = count === n ? aligned : tf.slice(aligned, [start, 0, 0, 0], [count, -1, -1, -1]);
          // Padded to a bucket on WebGL, so other face counts reuse the compiled programs.
          const emb = firstRows(embedder.forward(padBatch(chunk)), count);
          if (!withCrops) return emb;
          const pixels = tf.reshape(thumbnailPixels(chunk), [count, -1]);
          return tf.concat([emb, pixels], 1) as tf.Tensor2D;
        }),
      );
    }
    const result = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
    done = true;
    return result;
  } finally {
    aligned.dispose();
    if (!done || parts.length > 1) tf.dispose(parts);
  }
}

async function detectPadded(
  detector: FaceDetectorLike,
  image: tf.Tensor3D,
  pad: number,
  overrides: DetectOverridesLike | undefined,
  onStage: PipelineStageListener | undefined,
): Promise<DetectedFaceLike[]> {
  if (pad === 0) return [...(await detector.detect(image, overrides, onStage))];
  const padded = tf.pad(image, [
    [pad, pad],
    [pad, pad],
    [0, 0],
  ]);
  try {
    const faces = await detector.detect(padded, overrides, onStage);
    return faces.map((f) => ({
      box: f.box.map((v) => v - pad),
      score: f.score,
      landmarks: f.landmarks.map((p) => p.map((v) => v - pad)),
    }));
  } finally {
    padded.dispose();
  }
}

export type DetectOptions = Pick<
  AnalyzeOptions,
  'minScore' | 'detectPadding' | 'maxFaces' | 'onStage' | 'sourceScale' | 'staging'
>;

/** Overrides for an image shrunk by `sourceScale` (none when it was not). */
function overridesFor(sourceScale: number | undefined): DetectOverridesLike | undefined {
  if (sourceScale === undefined || !(sourceScale > 0 && sourceScale < 1)) return undefined;
  return { minFaceLimit: DEFAULT_DETECTOR_CONFIG.minFaceLimit * sourceScale };
}

/**
 * The detector's faces after the pipeline's filters (minScore, detectPadding, maxFaces), largest
 * box first, in the image's pixels.
 */
export async function detectFaces(
  image: RgbImage | tf.Tensor3D,
  detector: FaceDetectorLike,
  options: DetectOptions = {},
): Promise<DetectedFaceLike[]> {
  return withImageTensor(image, options.staging, async (tensor) => {
    const minScore = options.minScore ?? Number.NEGATIVE_INFINITY;
    const pad = Math.max(0, Math.round(options.detectPadding ?? 0));
    const overrides = overridesFor(options.sourceScale);
    let faces = (await detectPadded(detector, tensor, pad, overrides, options.onStage)).filter(
      (f) => f.score >= minScore,
    );
    faces = faces.sort((a, b) => boxArea(b.box) - boxArea(a.box));
    if (options.maxFaces !== undefined) faces = faces.slice(0, Math.max(0, options.maxFaces));
    return faces;
  });
}

/** Wall-clock milliseconds of analyzeImage's two halves (detect includes pixel upload). */
export interface AnalyzeTimings {
  readonly detectMs: number;
  readonly embedMs: number;
}

export interface AnalyzeImageOptions extends AnalyzeOptions {
  /** Called once detection is done, before alignment and embedding start (progress display). */
  readonly onEmbedding?: () => void;
  /** Called with the stage timings once the faces are embedded. */
  readonly onTimings?: (timings: AnalyzeTimings) => void;
}

/** Detect → align → embed every face of an image, largest faces first. */
export async function analyzeImage(
  image: RgbImage | tf.Tensor3D,
  detector: FaceDetectorLike,
  embedder: AnyEmbedder,
  options: AnalyzeImageOptions = {},
): Promise<AnalyzedFace[]> {
  const started = performance.now();
  return withImageTensor(image, options.staging, async (tensor) => {
    const detected = await detectFaces(tensor, detector, options);
    const detectedAt = performance.now();
    options.onEmbedding?.();
    const faces = await embedDetectedFaces(tensor, detected, embedder, options);
    options.onTimings?.({ detectMs: detectedAt - started, embedMs: performance.now() - detectedAt });
    return faces;
  });
}

/**
 * Embeds images that already are aligned face crops in `from`'s layout (default: 112×112 ArcFace,
 * like ../shared/data/faces/aligned), re-warped to the embedder's template. One read.
 */
export async function embedAlignedCrops(
  crops: readonly RgbImage[],
  embedder: AnyEmbedder,
  from: LandmarkTemplate = ARCFACE_112,
): Promise<Float32Array[]> {
  if (crops.length === 0) return [];
  for (const c of crops) {
    if (c.width !== from.size || c.height !== from.size) {
      throw new Error(`aligned crops must be ${from.size}×${from.size}, got ${c.width}×${c.height}`);
    }
  }
  const batch = tf.tidy(() => {
    const stacked = tf.stack(crops.map((c) => imageToTensor(c))) as tf.Tensor4D;
    return realignCrops(stacked, from, embedder.template);
  });
  try {
    return await embedder.embed(batch);
  } finally {
    batch.dispose();
  }
}

/** The whole image resized (bilinear) to the embedder input, no detection: for checking ports. */
export async function embedWholeImages(
  images: readonly RgbImage[],
  embedder: AnyEmbedder,
): Promise<Float32Array[]> {
  if (images.length === 0) return [];
  const size = embedder.inputSize;
  const batch = tf.tidy(
    () =>
      tf.stack(
        images.map((img) =>
          tf.image.resizeBilinear(tf.cast(imageToTensor(img), 'float32'), [size, size], false, true),
        ),
      ) as tf.Tensor4D,
  );
  try {
    return await embedder.embed(batch);
  } finally {
    batch.dispose();
  }
}
