/** Pixel layout conversions between the canvas world (RGBA) and the pipeline's RgbImage (RGB). */
import type { RgbImage } from '../pipeline/image.ts';
import type { FaceCrop } from './api.ts';

/** Canvas RGBA bytes → packed RGB, the pipeline's input. */
export function rgbaToRgb(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = rgba[i] as number;
    rgb[j + 1] = rgba[i + 1] as number;
    rgb[j + 2] = rgba[i + 2] as number;
  }
  return rgb;
}

/** A face crop as opaque RGBA, what the page draws without further conversion. */
export function rgbToRgba({ width, height, data }: RgbImage): FaceCrop {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
    rgba[j] = data[i] as number;
    rgba[j + 1] = data[i + 1] as number;
    rgba[j + 2] = data[i + 2] as number;
    rgba[j + 3] = 255;
  }
  return { width, height, rgba };
}
