/**
 * The kiosk's camera frames, inside the worker. Two calls:
 *
 * - `inspectFrame`: face boxes and mean luminance of a live preview frame, several times a second,
 *   from which the page words its guidance (too dark, too small, off to the side, several faces);
 * - `captureFace`: the same for the frame the user captured, plus the largest face's embedding and
 *   aligned crop, and optionally the anti-spoofing (liveness) score.
 *
 * Nothing is kept between calls: frames, pixels and tensors are released before each call returns.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { transfer } from 'comlink';
import type { EmbedderId } from '../models/embedders.ts';
import { MODEL_SPECS } from '../models/specs.ts';
import { detectFaces, embedDetectedFaces } from '../pipeline/face-pipeline.ts';
import { imageToTensor, type RgbImage } from '../pipeline/image.ts';
import type { FaceBox, FaceCrop } from './api.ts';
import type { LoadedModels } from './model-store.ts';
import { rgbToRgba } from './pixels.ts';
import { trimWebglCaches } from './webgl-caches.ts';

/** Preview frames are inspected at most this large (long side): guidance needs boxes, not detail. */
const INSPECT_MAX_SIDE = 640;
/** Captured frames keep up to this much detail for the embedding. */
const CAPTURE_MAX_SIDE = 1280;

/**
 * Score above which FaceAntiSpoofing's authors (the Android MobileFaceNet/MTCNN/FaceAntiSpoofing
 * demo that ships this model) call a face an attack. docs/kiosk.md has its rejection rate on live
 * photos.
 */
export const LIVENESS_THRESHOLD = 0.2;
const LIVENESS_INPUT = 256;

export interface FrameFace {
  /** In the inspected frame's pixels (see `width`, `height`); may reach past the border. */
  readonly box: FaceBox;
  readonly score: number;
}

export interface FrameInspection {
  /** Size of the frame as analysed (downscaled from the camera's). */
  readonly width: number;
  readonly height: number;
  /** Mean luma in [0, 1] (Rec. 709 weights on the encoded RGB values). */
  readonly meanLuminance: number;
  /** Largest first. */
  readonly faces: readonly FrameFace[];
  readonly ms: number;
}

export interface LivenessResult {
  /** Σ |leaf score| · leaf mask; higher looks more like a photo or screen. */
  readonly score: number;
  readonly threshold: number;
  /** score ≤ threshold. A deterrent, not proof: printed photos and screens can pass. */
  readonly passed: boolean;
}

export interface CapturedFace {
  readonly box: FaceBox;
  readonly embedding: Float32Array;
  readonly crop: FaceCrop;
}

export interface KioskCapture extends FrameInspection {
  readonly embedder: EmbedderId;
  /** The largest face; null when there is none. */
  readonly face: CapturedFace | null;
  /** Null unless asked for (and a face was found). */
  readonly liveness: LivenessResult | null;
}

export interface CaptureOptions {
  readonly embedder: EmbedderId;
  readonly liveness: boolean;
  /** The face embedded is the largest detection scoring at least this (the page's guidance rule). */
  readonly minScore: number;
}

export interface KioskApi {
  /** Consumes (closes) `frame`; pass it in comlink's transfer list. */
  inspectFrame(frame: ImageBitmap): Promise<FrameInspection>;
  /** Consumes (closes) `frame`; pass it in comlink's transfer list. */
  captureFace(frame: ImageBitmap, options: CaptureOptions): Promise<KioskCapture>;
}

interface FramePixels {
  readonly image: RgbImage;
  readonly meanLuminance: number;
}

/** Draws the bitmap (scaled to fit `maxSide`), closes it, and returns RGB pixels and mean luma. */
function readFrame(frame: ImageBitmap, maxSide: number): FramePixels {
  try {
    const scale = Math.min(1, maxSide / Math.max(frame.width, frame.height));
    const width = Math.max(1, Math.round(frame.width * scale));
    const height = Math.max(1, Math.round(frame.height * scale));
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2D context on OffscreenCanvas');
    context.drawImage(frame, 0, 0, width, height);
    const rgba = context.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    let luma = 0;
    for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
      const r = rgba[i] as number;
      const g = rgba[i + 1] as number;
      const b = rgba[i + 2] as number;
      data[j] = r;
      data[j + 1] = g;
      data[j + 2] = b;
      luma += 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }
    return { image: { width, height, data }, meanLuminance: luma / (width * height * 255) };
  } finally {
    frame.close();
  }
}

const toBox = (box: readonly number[]): FaceBox => [box[0] ?? 0, box[1] ?? 0, box[2] ?? 0, box[3] ?? 0];

/**
 * The liveness crop as the model's authors make it: a square of the box's longer side around its
 * centre, clipped to the image, as normalised [y1, x1, y2, x2] for cropAndResize.
 */
export function livenessCropBox(
  box: FaceBox,
  width: number,
  height: number,
): [number, number, number, number] {
  const [x1, y1, x2, y2] = box;
  const side = Math.max(x2 - x1, y2 - y1);
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  const left = Math.max(0, cx - side / 2);
  const top = Math.max(0, cy - side / 2);
  const right = Math.min(width - 1, cx + side / 2);
  const bottom = Math.min(height - 1, cy + side / 2);
  return [top / (height - 1), left / (width - 1), bottom / (height - 1), right / (width - 1)];
}

/** FaceAntiSpoofing on one face: input pixel/255 at 256×256; score = Σ |leaf score| · leaf mask. */
export async function livenessScore(model: GraphModel, image: tf.Tensor3D, box: FaceBox): Promise<number> {
  const [height, width] = image.shape;
  const { leafScores, leafMask } = MODEL_SPECS.antispoof.outputs;
  const outputs = tf.tidy(() => {
    const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
    const crop = tf.image.cropAndResize(
      batch,
      [livenessCropBox(box, width, height)],
      [0],
      [LIVENESS_INPUT, LIVENESS_INPUT],
      'bilinear',
    );
    return model.execute(tf.div(crop, 255), [leafScores, leafMask]) as tf.Tensor[];
  });
  try {
    const [scores, mask] = await Promise.all(outputs.map((t) => t.data()));
    if (scores === undefined || mask === undefined) throw new Error('anti-spoofing model gave no output');
    let score = 0;
    for (let i = 0; i < scores.length; i++) score += Math.abs(scores[i] as number) * (mask[i] as number);
    return score;
  } finally {
    tf.dispose(outputs);
  }
}

export function livenessResult(score: number): LivenessResult {
  return { score, threshold: LIVENESS_THRESHOLD, passed: score <= LIVENESS_THRESHOLD };
}

/** The kiosk calls, on the engine's loaded models (`models` throws until they are loaded). */
export function createKioskAnalysis(models: () => LoadedModels): KioskApi {
  return {
    async inspectFrame(frame) {
      const started = performance.now();
      const detector = models().detector;
      const pixels = readFrame(frame, INSPECT_MAX_SIDE);
      const tensor = imageToTensor(pixels.image);
      try {
        const faces = await detectFaces(tensor, detector);
        return {
          width: pixels.image.width,
          height: pixels.image.height,
          meanLuminance: pixels.meanLuminance,
          faces: faces.map((f) => ({ box: toBox(f.box), score: f.score })),
          ms: performance.now() - started,
        };
      } finally {
        tensor.dispose();
        // A kiosk inspects frames for days: its candidate counts must not grow tfjs-webgl's caches.
        trimWebglCaches();
      }
    },

    async captureFace(frame, options) {
      const started = performance.now();
      const loaded = models();
      const pixels = readFrame(frame, CAPTURE_MAX_SIDE);
      const tensor = imageToTensor(pixels.image);
      try {
        const detections = await detectFaces(tensor, loaded.detector);
        const largest = detections.find((f) => f.score >= options.minScore);
        let face: CapturedFace | null = null;
        let liveness: LivenessResult | null = null;
        if (largest !== undefined) {
          const [embedded] = await embedDetectedFaces(
            tensor,
            [largest],
            await loaded.embedder(options.embedder),
            {
              crops: true,
            },
          );
          if (embedded?.crop == null) throw new Error('internal: the pipeline returned no crop');
          face = { box: embedded.box, embedding: embedded.embedding, crop: rgbToRgba(embedded.crop) };
          if (options.liveness) {
            liveness = livenessResult(
              await livenessScore(await loaded.graph('antispoof'), tensor, toBox(largest.box)),
            );
          }
        }
        const capture: KioskCapture = {
          width: pixels.image.width,
          height: pixels.image.height,
          meanLuminance: pixels.meanLuminance,
          faces: detections.map((f) => ({ box: toBox(f.box), score: f.score })),
          ms: performance.now() - started,
          embedder: options.embedder,
          face,
          liveness,
        };
        // Moved, not copied, to the page: the worker keeps no trace of the face.
        return transfer(
          capture,
          face === null ? [] : [face.embedding.buffer as ArrayBuffer, face.crop.rgba.buffer as ArrayBuffer],
        );
      } finally {
        tensor.dispose();
        trimWebglCaches();
      }
    },
  };
}
