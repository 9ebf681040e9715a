/**
 * Decodes image files in Node (CLI, tests, benchmarks) with sharp (libvips + libjpeg-turbo).
 * Matches the MTCNN reference's input convention: stored pixel order (no EXIF rotation unless
 * asked), embedded ICC profiles ignored, alpha dropped, grayscale replicated to RGB.
 */
import sharp from 'sharp';
import type { RgbImage } from '../pipeline/image.ts';

export interface NodeDecodeOptions {
  /** Rotate by the EXIF orientation tag, as a browser's createImageBitmap does. Default false. */
  readonly applyExifOrientation?: boolean;
}

export async function decodeImageFile(
  pathOrBytes: string | Uint8Array,
  options: NodeDecodeOptions = {},
): Promise<RgbImage> {
  // ignoreIcc: raw decoded values, as the reference (PIL) and tfjs-node see them.
  let pipeline = sharp(pathOrBytes, { failOn: 'error', limitInputPixels: 268_402_689, ignoreIcc: true });
  if (options.applyExifOrientation === true) pipeline = pipeline.rotate();
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}
