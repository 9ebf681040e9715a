/**
 * What FaceCheck accepts as input, and the check every file passes before any decoder sees it.
 *
 * `checkInput` decides from the bytes alone (see sniff.ts), so the browser worker and the Node CLI
 * give the same answer — and the same message — for the same file. Every refusal is an
 * `InputProblem`: a `code` for programs and a plain-English `message` for the file's card that says
 * what is wrong and what to do. Messages never contain the file name (the UI shows it next to the
 * message, as text), so a hostile name cannot end up inside markup built from a message.
 *
 * Pure TypeScript (no DOM, no Node APIs). See docs/input.md for the reasoning behind each limit.
 */
import { type ImageFormat, type NonImageKind, type RasterFormat, type RasterHeader, sniff } from './sniff.ts';

export interface InputPolicy {
  /** Files larger than this are refused before they are read or sniffed. */
  readonly maxFileBytes: number;
  /** Header width × height above this is refused before decoding (decompression bombs). */
  readonly maxDecodePixels: number;
  /** Decoded images are downscaled so that their longest side is at most this (never upscaled). */
  readonly maxAnalysisSide: number;
  /** Both sides must be at least this, in the file and after downscaling. */
  readonly minSide: number;
  /** Formats decoded everywhere FaceCheck runs. Only header-parsed formats can be listed. */
  readonly acceptedFormats: readonly RasterFormat[];
}

const MiB = 1024 * 1024;

/** Formats accepted by the default policy (see `acceptedFormats` below for why these four). */
const DEFAULT_ACCEPTED_FORMATS = ['jpeg', 'png', 'gif', 'webp'] as const satisfies readonly RasterFormat[];

export const INPUT_POLICY: InputPolicy = Object.freeze({
  // A 24 MP camera JPEG is 8–15 MB and a 100 MP one ~60 MB; more than that is not a photo worth
  // holding in memory twice (file + pixels) in a browser tab.
  maxFileBytes: 64 * MiB,
  // 2^27 ≈ 134 MP: 512 MiB as RGBA, the most a tab can afford transiently. Covers 100 MP medium-format
  // cameras (11,648 × 8,736 ≈ 102 MP) and 12,000 × 9,000 scans (108 MP); refuses the 2.5-gigapixel
  // 50,000 × 50,000 bomb, which would need 10 GB.
  maxDecodePixels: 2 ** 27,
  // The detector works at ≤ 3072 px anyway (DEFAULT_DETECTOR_CONFIG.maxDetectionSide) and is told the
  // shrink (AnalyzeOptions.sourceScale) so its 40 px minimum stays in the photo's pixels; 4096 keeps
  // crops of small faces sharp and bounds every later buffer to 4096² × 3 = 48 MiB. A 24 MP photo
  // (6000 × 4000) becomes 4096 × 2731.
  maxAnalysisSide: 4096,
  // The detector's smallest face is 20 px (DEFAULT_DETECTOR_CONFIG.minFaceSize): a thinner image
  // cannot contain a face it would find.
  minSide: 20,
  // What every supported browser decodes and sharp's prebuilt libvips decodes too, so that a file has
  // one outcome in the CLI and in the browser. BMP is parsed but not listed: sharp has no BMP loader.
  acceptedFormats: Object.freeze([...DEFAULT_ACCEPTED_FORMATS]),
});

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Image formats FaceCheck recognises but the default policy refuses, each with its own message. */
export type RefusedFormat = Exclude<ImageFormat, (typeof DEFAULT_ACCEPTED_FORMATS)[number]>;

export type InputProblem =
  | { readonly code: 'empty'; readonly message: string }
  | { readonly code: 'not-an-image'; readonly looksLike: NonImageKind; readonly message: string }
  | { readonly code: 'unsupported-format'; readonly format: ImageFormat; readonly message: string }
  | {
      readonly code: 'truncated';
      readonly format: RasterFormat;
      readonly detail: string;
      readonly message: string;
    }
  | {
      readonly code: 'corrupt';
      readonly format: RasterFormat;
      readonly detail: string;
      readonly message: string;
    }
  | {
      readonly code: 'too-large-file';
      readonly bytes: number;
      readonly maxBytes: number;
      readonly message: string;
    }
  | {
      readonly code: 'too-many-pixels';
      readonly width: number;
      readonly height: number;
      readonly maxPixels: number;
      readonly message: string;
    }
  | {
      readonly code: 'too-small';
      readonly width: number;
      readonly height: number;
      readonly minSide: number;
      readonly message: string;
    }
  /** The file could not be read at all (not found, no permission, a directory, I/O error). */
  | { readonly code: 'unreadable'; readonly reason: string; readonly message: string };

export type InputProblemCode = InputProblem['code'];

export interface AcceptedInput {
  readonly format: RasterFormat;
  readonly header: RasterHeader;
  /**
   * Size the decoder must produce, in stored orientation (EXIF orientations 5–8 swap the sides when
   * applied): the header size scaled so the longest side is at most `maxAnalysisSide`.
   */
  readonly analysis: Size;
}

export type InputCheck =
  | { readonly ok: true; readonly info: AcceptedInput }
  | { readonly ok: false; readonly problem: InputProblem };

/**
 * Whether `bytes` (the whole file) can be analysed. `name` only tailors the message (an image
 * extension on a text file is worth pointing out); it never decides the format.
 */
export function checkInput(bytes: Uint8Array, name: string, policy: InputPolicy = INPUT_POLICY): InputCheck {
  const refuse = (problem: InputProblem): InputCheck => ({ ok: false, problem });
  const sizeProblem = checkFileSize(bytes.length, policy);
  if (sizeProblem !== null) return refuse(sizeProblem);

  const sniffed = sniff(bytes);
  switch (sniffed.kind) {
    case 'empty':
      return refuse(problems.empty());
    case 'not-image':
      return refuse(problems.notAnImage(sniffed.looksLike, name));
    case 'opaque-image':
      return refuse(problems.unsupportedFormat(sniffed.format));
    case 'damaged':
      return refuse(
        sniffed.damage === 'truncated'
          ? problems.truncated(sniffed.format, sniffed.detail)
          : problems.corrupt(sniffed.format, sniffed.detail),
      );
    case 'raster': {
      const { format, header } = sniffed;
      if (!policy.acceptedFormats.includes(format)) return refuse(problems.unsupportedFormat(format));
      const { width, height } = header;
      if (width * height > policy.maxDecodePixels) return refuse(problems.tooManyPixels(header, policy));
      const analysis = analysisSize(header, policy);
      if (Math.min(width, height, analysis.width, analysis.height) < policy.minSide) {
        return refuse(problems.tooSmall(header, policy));
      }
      return { ok: true, info: { format, header, analysis } };
    }
  }
}

/** The size check alone, for callers that know a file's size before reading it (File.size, stat). */
export function checkFileSize(byteLength: number, policy: InputPolicy = INPUT_POLICY): InputProblem | null {
  if (byteLength === 0) return problems.empty();
  if (byteLength > policy.maxFileBytes) return problems.tooLargeFile(byteLength, policy.maxFileBytes);
  return null;
}

/** `size` scaled down (never up) so that its longest side is at most `policy.maxAnalysisSide`. */
export function analysisSize(size: Size, policy: InputPolicy = INPUT_POLICY): Size {
  const longest = Math.max(size.width, size.height);
  if (longest <= policy.maxAnalysisSide) return { width: size.width, height: size.height };
  const scale = policy.maxAnalysisSide / longest;
  // The longest side lands exactly on the limit; the other is rounded, and kept ≥ 1 so the result is
  // an image (the too-small check then refuses it).
  const scaled = (side: number) =>
    side === longest ? policy.maxAnalysisSide : Math.max(1, Math.round(side * scale));
  return { width: scaled(size.width), height: scaled(size.height) };
}

// ---------------------------------------------------------------------------------------------
// Problems and their messages. One constructor per code, so a message always matches its code.

const FORMAT_NAMES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  webp: 'WebP',
  bmp: 'BMP',
  tiff: 'TIFF',
  heic: 'HEIC',
  heif: 'HEIF',
  avif: 'AVIF',
  svg: 'SVG',
};

const EXPORT_HINT = 'Export or save it as JPEG or PNG and add it again.';
const ACCEPTED_LIST = 'JPEG, PNG, GIF or WebP';

const UNSUPPORTED_MESSAGES: Readonly<Record<RefusedFormat, string>> = {
  heic: `This file is a HEIC photo (the iPhone camera's default format). Not every browser can decode HEIC, so FaceCheck does not accept it. ${EXPORT_HINT} On an iPhone, Settings › Camera › Formats › Most Compatible takes photos as JPEG.`,
  heif: `This file is a HEIF image. Not every browser can decode HEIF, so FaceCheck does not accept it. ${EXPORT_HINT}`,
  avif: `This file is an AVIF image. Not every browser can decode AVIF, so FaceCheck does not accept it. ${EXPORT_HINT}`,
  tiff: `This file is a TIFF image (or a camera RAW file), which browsers cannot decode. ${EXPORT_HINT}`,
  bmp: `This file is a BMP bitmap, which FaceCheck does not read. ${EXPORT_HINT}`,
  svg: 'This file is an SVG drawing, not a photo, and FaceCheck does not open SVG files (they can contain scripts). If it shows a face, export it as PNG and add that.',
};

/** The specific message for a refused format; undefined for a format only a custom policy refuses. */
const refusedMessage = (format: ImageFormat): string | undefined =>
  (UNSUPPORTED_MESSAGES as Readonly<Partial<Record<ImageFormat, string>>>)[format];

const NOT_IMAGE_MESSAGES: Readonly<Record<NonImageKind, string>> = {
  text: 'contains text, not an image',
  pdf: 'is a PDF document, not an image',
  video: 'is a video, not a photo',
  archive: 'is a compressed archive (such as ZIP), not an image',
  unknown: 'is not an image FaceCheck recognises',
};

const NOT_IMAGE_HINTS: Readonly<Record<NonImageKind, string>> = {
  text: `Choose a photo (${ACCEPTED_LIST}).`,
  pdf: 'Export the page as JPEG or PNG, or add the photo itself.',
  video: 'Save a still frame as JPEG or PNG and add that.',
  archive: 'Unpack it and add the photos inside.',
  unknown: `Choose a photo (${ACCEPTED_LIST}).`,
};

/** An image-like extension on the name, for "its name ends in .jpg, but…". Only [a-z0-9] is echoed. */
function imageExtension(name: string): string | null {
  const match = /\.(jpe?g|jfif|png|gif|webp|bmp|tiff?|heic|heif|avif|svg)$/i.exec(name);
  return match === null ? null : `.${(match[1] ?? '').toLowerCase()}`;
}

const count = (n: number) => n.toLocaleString('en-US');
/** Whole megabytes from 10 MB up (the limit reads "64 MB"), one decimal below. */
const megabytes = (bytes: number) => `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MB`;
const megapixels = (pixels: number) => `${count(Math.round(pixels / 1e6))} megapixels`;

const problems = {
  empty: (): InputProblem => ({
    code: 'empty',
    message:
      'This file is empty (0 bytes), so there is no image in it. It may not have finished downloading or copying; add the original again.',
  }),
  notAnImage: (looksLike: NonImageKind, name: string): InputProblem => {
    const ext = imageExtension(name);
    const what = NOT_IMAGE_MESSAGES[looksLike];
    const lead = ext === null ? `This file ${what}.` : `This file's name ends in ${ext}, but it ${what}.`;
    return { code: 'not-an-image', looksLike, message: `${lead} ${NOT_IMAGE_HINTS[looksLike]}` };
  },
  unsupportedFormat: (format: ImageFormat): InputProblem => ({
    code: 'unsupported-format',
    format,
    message:
      refusedMessage(format) ??
      `This file is a ${FORMAT_NAMES[format]} image, which this setup does not accept. ${EXPORT_HINT}`,
  }),
  truncated: (format: RasterFormat, detail: string): InputProblem => ({
    code: 'truncated',
    format,
    detail,
    message: `This ${FORMAT_NAMES[format]} file is incomplete: it ends before the image does, as after an interrupted download or copy. Get the complete file and add it again.`,
  }),
  corrupt: (format: RasterFormat, detail: string): InputProblem => ({
    code: 'corrupt',
    format,
    detail,
    message: `This ${FORMAT_NAMES[format]} file is damaged and cannot be decoded. Try the original file, or open and re-save it in an image editor.`,
  }),
  tooLargeFile: (bytes: number, maxBytes: number): InputProblem => ({
    code: 'too-large-file',
    bytes,
    maxBytes,
    message: `This file is ${megabytes(bytes) === megabytes(maxBytes) ? 'just over ' : ''}${megabytes(bytes)}; FaceCheck accepts files up to ${megabytes(maxBytes)}. Save a smaller or more compressed copy and add that.`,
  }),
  tooManyPixels: ({ width, height }: Size, policy: InputPolicy): InputProblem => ({
    code: 'too-many-pixels',
    width,
    height,
    maxPixels: policy.maxDecodePixels,
    message: `This image is ${count(width)} × ${count(height)} pixels (${megapixels(width * height)}); FaceCheck decodes at most ${megapixels(policy.maxDecodePixels)}. Save a smaller copy (for example ${count(policy.maxAnalysisSide)} pixels on the long side) and add that.`,
  }),
  tooSmall: ({ width, height }: Size, policy: InputPolicy): InputProblem => {
    const narrow = Math.min(width, height) >= policy.minSide;
    const why = narrow
      ? `too narrow to contain a face once scaled to ${count(policy.maxAnalysisSide)} pixels on the long side`
      : 'too small to contain a face';
    return {
      code: 'too-small',
      width,
      height,
      minSide: policy.minSide,
      message: `This image is ${count(width)} × ${count(height)} pixels, ${why} (faces need at least ${policy.minSide} pixels each way). Use a larger photo.`,
    };
  },
  unreadable: (reason: string): InputProblem => ({
    code: 'unreadable',
    reason,
    message: `This file could not be read (${reason}). Check that it still exists and that you are allowed to open it, then add it again.`,
  }),
} as const;

/** Problem constructors for decoders (node-image.ts, the browser worker) that meet failures after `checkInput`. */
export const inputProblems: Pick<typeof problems, 'truncated' | 'corrupt' | 'unreadable' | 'tooLargeFile'> =
  problems;
