/**
 * Photo bytes → RGB pixels in a worker, the way the app's worker decodes (src/worker/analysis.ts):
 * createImageBitmap with EXIF orientation applied and no colour conversion, drawn on an
 * OffscreenCanvas, RGBA → RGB. Both engines get the same pixels from the same code.
 */
import type { RgbImage } from '../src/pipeline/image.ts';

export async function decodePhoto(bytes: ArrayBuffer): Promise<RgbImage> {
  const bitmap = await createImageBitmap(new Blob([bytes]), {
    imageOrientation: 'from-image',
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  try {
    const { width, height } = bitmap;
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2D context on OffscreenCanvas');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
      rgb[j] = rgba[i] as number;
      rgb[j + 1] = rgba[i + 1] as number;
      rgb[j + 2] = rgba[i + 2] as number;
    }
    return { width, height, data: rgb };
  } finally {
    bitmap.close();
  }
}
