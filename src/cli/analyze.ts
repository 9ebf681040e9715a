/**
 * Per-file analysis for the CLI: decode → (detect → align → embed | aligned crop | whole image),
 * catching every failure as a per-file reason so one bad file never stops a run.
 */
import { stat } from 'node:fs/promises';
import { InputProblemError, readImageFile } from '../io/node-image.ts';
import type { AnyEmbedder } from '../pipeline/embedders/embedder.ts';
import {
  type AnalyzedFace,
  analyzeImage,
  embedAlignedCrops,
  embedWholeImages,
  type PixelStaging,
} from '../pipeline/face-pipeline.ts';
import type { RgbImage } from '../pipeline/image.ts';
import type { CliDetector } from './detector.ts';

/** How faces are found in an input file. */
export type InputMode = 'detect' | 'aligned' | 'whole';

export interface FileFaces {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly faces: readonly AnalyzedFace[];
  /** Why the file could not be analysed (then `faces` is empty). */
  readonly error?: string;
}

export interface AnalyzeContext {
  readonly embedder: AnyEmbedder;
  /** Required for mode 'detect'. */
  readonly detector: CliDetector | null;
  readonly mode: InputMode;
  /** Passed to analyzeImage (detect mode). */
  readonly minScore?: number;
  readonly detectPadding?: number;
  /** Host memory the pixel uploads of one file after another reuse. */
  readonly staging?: PixelStaging;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A decoded file and how much decoding shrank it (see AnalyzeOptions.sourceScale). */
interface Decoded {
  readonly image: RgbImage;
  readonly sourceScale: number;
}

async function decode(file: string): Promise<Decoded | string> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error)
    return info.code === 'ENOENT' ? 'file not found' : `cannot read file (${info.message})`;
  if (info.isDirectory()) return 'is a directory';
  try {
    const read = await readImageFile(file);
    if (!read.ok) throw new InputProblemError(read.problem);
    return { image: read.image, sourceScale: read.input.analysis.width / read.input.header.width };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'file not found';
    if (code === 'EISDIR') return 'is a directory';
    if (code === 'EACCES') return 'permission denied';
    return `cannot decode image (${message(error)})`;
  }
}

/** A pseudo-face covering the whole image, for modes without detection. */
function wholeFace(image: RgbImage, embedding: Float32Array): AnalyzedFace {
  return {
    box: [0, 0, image.width, image.height],
    score: 1,
    landmarks: [],
    embedding,
    crop: null,
  };
}

export async function analyzeFile(file: string, ctx: AnalyzeContext): Promise<FileFaces> {
  const decoded = await decode(file);
  if (typeof decoded === 'string') return { file, width: 0, height: 0, faces: [], error: decoded };
  const { image, sourceScale } = decoded;
  const base = { file, width: image.width, height: image.height };
  try {
    switch (ctx.mode) {
      case 'detect': {
        if (ctx.detector === null) throw new Error('internal: no detector');
        const options = {
          crops: false,
          minScore: ctx.minScore,
          detectPadding: ctx.detectPadding,
          sourceScale,
          ...(ctx.staging === undefined ? {} : { staging: ctx.staging }),
        };
        return { ...base, faces: await analyzeImage(image, ctx.detector, ctx.embedder, options) };
      }
      case 'aligned': {
        const [embedding] = await embedAlignedCrops([image], ctx.embedder);
        return { ...base, faces: embedding === undefined ? [] : [wholeFace(image, embedding)] };
      }
      case 'whole': {
        const [embedding] = await embedWholeImages([image], ctx.embedder);
        return { ...base, faces: embedding === undefined ? [] : [wholeFace(image, embedding)] };
      }
    }
  } catch (error) {
    return { ...base, faces: [], error: `analysis failed (${message(error)})` };
  }
}

/** Analyses files one after another (the backend is single-threaded anyway). */
export async function analyzeFiles(files: readonly string[], ctx: AnalyzeContext): Promise<FileFaces[]> {
  const out: FileFaces[] = [];
  for (const file of files) out.push(await analyzeFile(file, ctx));
  return out;
}
