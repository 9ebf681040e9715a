/**
 * One photo, inside the worker: check the bytes against the input policy, decode (EXIF orientation
 * applied, ICC ignored, downscaled to the policy's analysis size), read the pixels, then detect →
 * align → embed with the loaded models. Every failure becomes a typed problem for that photo, so one
 * bad file never stops a batch.
 */
import { type AcceptedInput, checkInput, inputProblems } from '../io/input-policy.ts';
import type { AnyEmbedder } from '../pipeline/embedders/embedder.ts';
import {
  type AnalyzeTimings,
  analyzeImage,
  type FaceDetectorLike,
  type AnalyzedFace as PipelineFace,
  type PixelStaging,
} from '../pipeline/face-pipeline.ts';
import type { RgbImage } from '../pipeline/image.ts';
import type { NetOffload } from '../pipeline/offload.ts';
import type { AnalysisStage, AnalyzedFace, PhotoAnalysis, PhotoInput, PhotoProblem } from './api.ts';
import type { BitmapCounter } from './bitmap-counter.ts';
import { rgbaToRgb, rgbToRgba } from './pixels.ts';

/** Thrown inside this module to leave the happy path with a problem already worded for the user. */
class PhotoProblemError extends Error {
  constructor(readonly problem: PhotoProblem) {
    super(problem.message);
    this.name = 'PhotoProblemError';
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** EXIF orientations 5–8 rotate by 90°: the upright image has the stored sides swapped. */
function uprightSize(info: AcceptedInput): { width: number; height: number } {
  const { width, height } = info.analysis;
  return info.header.orientation >= 5 ? { width: height, height: width } : { width, height };
}

/** Analysis size ÷ the photo's own size (1 unless the input policy shrinks it). */
function shrinkOf(info: AcceptedInput): number {
  return info.analysis.width / info.header.width;
}

/**
 * Bytes → upright RGB at the analysis size. `colorSpaceConversion: 'none'` keeps the stored values
 * (as the Node decoder and the detector's reference do); the bitmap is closed whatever happens, so a
 * long batch holds at most one decoded photo (`bitmaps` counts them, so a test can prove it).
 */
async function decode(
  bytes: Uint8Array<ArrayBuffer>,
  info: AcceptedInput,
  bitmaps: BitmapCounter | undefined,
): Promise<RgbImage> {
  const target = uprightSize(info);
  const downscale = info.analysis.width !== info.header.width || info.analysis.height !== info.header.height;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), {
      imageOrientation: 'from-image',
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      ...(downscale ? { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: 'high' } : {}),
    });
  } catch (error) {
    throw new PhotoProblemError({
      code: 'decode-failed',
      message: inputProblems.corrupt(info.format, messageOf(error)).message,
    });
  }
  bitmaps?.opened();
  try {
    const { width, height } = bitmap;
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2D context on OffscreenCanvas');
    context.drawImage(bitmap, 0, 0);
    return { width, height, data: rgbaToRgb(context.getImageData(0, 0, width, height).data, width, height) };
  } finally {
    bitmap.close();
    // A closed ImageBitmap reads as 0 × 0: count only what was really released.
    if (bitmap.width === 0) bitmaps?.closed();
  }
}

function toWire(face: PipelineFace): AnalyzedFace {
  if (face.crop === null) throw new Error('internal: the pipeline returned a face without its crop');
  return {
    box: face.box,
    score: face.score,
    landmarks: face.landmarks,
    embedding: face.embedding,
    crop: rgbToRgba(face.crop),
  };
}

export interface AnalysisModels {
  readonly detector: FaceDetectorLike;
  readonly embedder: AnyEmbedder;
}

/** The models, and optionally the engine's count of decoded images (diagnostics) and second engine. */
export interface AnalysisContext extends AnalysisModels {
  readonly bitmaps?: BitmapCounter;
  /** Host memory the pixel upload reuses from photo to photo. */
  readonly staging?: PixelStaging;
  /** Embeds half of a photo's faces (the detector has its own; offload.ts). */
  readonly offload?: NetOffload | undefined;
}

/** Never throws: a photo that cannot be analysed resolves to `{ ok: false, problem }`. */
export async function analyzePhoto(
  input: PhotoInput,
  { detector, embedder, bitmaps, staging, offload }: AnalysisContext,
  onStage: (stage: AnalysisStage) => void = () => {},
): Promise<PhotoAnalysis> {
  const started = performance.now();
  try {
    const bytes = new Uint8Array(input.bytes);
    const check = checkInput(bytes, input.name);
    if (!check.ok)
      return { ok: false, problem: { code: check.problem.code, message: check.problem.message } };

    onStage('decoding');
    const image = await decode(bytes, check.info, bitmaps);
    const decoded = performance.now();

    onStage('detecting');
    let stages: AnalyzeTimings = { detectMs: 0, embedMs: 0 };
    // Largest face first (the pipeline's order): face 0 is the one a portrait is of.
    const faces = await analyzeImage(image, detector, embedder, {
      crops: true,
      sourceScale: shrinkOf(check.info),
      ...(offload === undefined ? {} : { offload }),
      ...(staging === undefined ? {} : { staging }),
      onEmbedding: () => onStage('embedding'),
      onTimings: (timings) => {
        stages = timings;
      },
    });
    return {
      ok: true,
      embedder: embedder.id,
      width: image.width,
      height: image.height,
      faces: faces.map(toWire),
      timings: { decodeMs: decoded - started, ...stages, totalMs: performance.now() - started },
    };
  } catch (error) {
    if (error instanceof PhotoProblemError) return { ok: false, problem: error.problem };
    console.error('analysis failed', error);
    return {
      ok: false,
      problem: {
        code: 'analysis-failed',
        message: `FaceCheck could not analyse this photo (${messageOf(error)}). The other photos are not affected; try adding it again.`,
      },
    };
  }
}

/**
 * Bytes → exactly the pixels analyzePhoto would analyse (same policy check, same decode), for the
 * worker's diagnostics. A rejected or undecodable photo throws with the user-facing message.
 */
export async function decodePhotoInput(input: PhotoInput, bitmaps?: BitmapCounter): Promise<RgbImage> {
  const bytes = new Uint8Array(input.bytes);
  const check = checkInput(bytes, input.name);
  if (!check.ok) throw new Error(check.problem.message);
  return decode(bytes, check.info, bitmaps);
}

/** Every ArrayBuffer a result holds, for comlink's transfer list (no copies across the boundary). */
export function transferablesOf(result: PhotoAnalysis): ArrayBuffer[] {
  if (!result.ok) return [];
  return result.faces.flatMap((f) => [f.embedding.buffer as ArrayBuffer, f.crop.rgba.buffer as ArrayBuffer]);
}
