/**
 * Decodes image files in Node (CLI, tests, benchmarks) with sharp (libvips + libjpeg-turbo).
 * Matches the MTCNN reference's input convention: stored pixel order (no EXIF rotation unless
 * asked), embedded ICC profiles ignored, alpha dropped, grayscale replicated to RGB, 16-bit reduced
 * to 8-bit, the first frame of an animation.
 *
 * Every file first passes `checkInput` (input-policy.ts), which refuses what the browser would
 * refuse — unknown or unsupported formats, truncated and damaged files, decompression bombs — from
 * the header alone. Images larger than the policy's analysis size are downscaled while decoding;
 * everything else decodes exactly as before, pixel for pixel.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../pipeline/image.ts';
import {
  type AcceptedInput,
  checkFileSize,
  checkInput,
  INPUT_POLICY,
  type InputPolicy,
  type InputProblem,
  inputProblems,
  type Size,
} from './input-policy.ts';
import type { ExifOrientation, RasterFormat } from './sniff.ts';

export interface NodeDecodeOptions {
  /** Rotate by the EXIF orientation tag, as a browser's createImageBitmap does. Default false. */
  readonly applyExifOrientation?: boolean;
  /** Limits and accepted formats. Default INPUT_POLICY. */
  readonly policy?: InputPolicy;
  /** Name for messages when decoding bytes (a path's own file name is used otherwise). */
  readonly name?: string;
}

export type NodeDecodeResult =
  | {
      readonly ok: true;
      readonly image: RgbImage;
      readonly input: AcceptedInput;
      /** True when EXIF orientation was applied and was not 1 (then `image` is upright). */
      readonly reoriented: boolean;
    }
  | { readonly ok: false; readonly problem: InputProblem };

/** What decodeImageFile throws: the problem, with the message a user should see. */
export class InputProblemError extends Error {
  readonly problem: InputProblem;
  constructor(problem: InputProblem, options?: { cause?: unknown }) {
    super(problem.message, options);
    this.name = 'InputProblemError';
    this.problem = problem;
  }
}

/**
 * Decodes a file (path or bytes) to RGB, or throws an InputProblemError saying why it cannot be
 * used. Never throws anything else.
 */
export async function decodeImageFile(
  pathOrBytes: string | Uint8Array,
  options: NodeDecodeOptions = {},
): Promise<RgbImage> {
  const result = await readImageFile(pathOrBytes, options);
  if (!result.ok) throw new InputProblemError(result.problem);
  return result.image;
}

/** Like decodeImageFile, but returns the problem instead of throwing; never rejects. */
export async function readImageFile(
  pathOrBytes: string | Uint8Array,
  options: NodeDecodeOptions = {},
): Promise<NodeDecodeResult> {
  const policy = options.policy ?? INPUT_POLICY;
  const read: FileRead =
    typeof pathOrBytes === 'string' ? await readBytes(pathOrBytes, policy) : { ok: true, bytes: pathOrBytes };
  if (!read.ok) return read;
  const { bytes } = read;
  const name = options.name ?? (typeof pathOrBytes === 'string' ? basename(pathOrBytes) : '');
  const check = checkInput(bytes, name, policy);
  if (!check.ok) return check;
  const reorient = options.applyExifOrientation === true;
  try {
    const image = await decodeAccepted(bytes, check.info, reorient, policy);
    return {
      ok: true,
      image,
      input: check.info,
      reoriented: reorient && check.info.header.orientation !== 1,
    };
  } catch (error) {
    return { ok: false, problem: decoderProblem(check.info.format, error) };
  }
}

type FileRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly problem: InputProblem };

/** The whole file, or the problem reading it; the size is checked before anything is read. */
async function readBytes(path: string, policy: InputPolicy): Promise<FileRead> {
  const refuse = (problem: InputProblem): FileRead => ({ ok: false, problem });
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) return refuse(inputProblems.unreadable('it is a folder, not a file'));
    const sizeProblem = checkFileSize(stats.size, policy);
    if (sizeProblem !== null) return refuse(sizeProblem);
    return { ok: true, bytes: await readFile(path) };
  } catch (error) {
    return refuse(inputProblems.unreadable(fileErrorReason(error)));
  }
}

const FILE_ERROR_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  EIO: 'input/output error',
};

function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && code in FILE_ERROR_REASONS) return FILE_ERROR_REASONS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

async function decodeAccepted(
  bytes: Uint8Array,
  input: AcceptedInput,
  reorient: boolean,
  policy: InputPolicy,
): Promise<RgbImage> {
  const { header, analysis } = input;
  // ignoreIcc: raw decoded values, as the reference (PIL) and tfjs-node see them. The pixel limit
  // repeats checkInput's header check inside the decoder, in case a header and its data disagree.
  let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: policy.maxDecodePixels, ignoreIcc: true });
  if (reorient) pipeline = pipeline.rotate();
  if (analysis.width !== header.width || analysis.height !== header.height) {
    // Explicit output size (not fit: 'inside') so the result is exactly what checkInput promised.
    const target = reorient ? oriented(analysis, header.orientation) : analysis;
    pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
  }
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  }
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** The size after applying an EXIF orientation: 5–8 turn the image a quarter. */
export function oriented(size: Size, orientation: ExifOrientation): Size {
  return orientation >= 5 ? { width: size.height, height: size.width } : size;
}

/** libvips/libjpeg/libpng wording for data that stops early. */
const TRUNCATION = /premature end|truncat|unexpected end|not enough data|end of (file|stream)|short read/i;

function decoderProblem(format: RasterFormat, error: unknown): InputProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return TRUNCATION.test(detail)
    ? inputProblems.truncated(format, detail)
    : inputProblems.corrupt(format, detail);
}
