/**
 * PyTorch's area interpolation written the plain way (rows then columns, float64, bin by bin), as the
 * oracle for the summed-area table in src/pipeline/mtcnn/exact-area.ts: the same bins, a different
 * way to sum them.
 */
import {
  adaptiveBins,
  type HostPixels,
  type PixelRegion,
  pixelWindow,
  rgbChannels,
} from '../../src/pipeline/mtcnn/exact-area.ts';

/**
 * `region` of `source` (rows [top, top + height) × columns [left, left + width)), pooled
 * to outHeight × outWidth × 3 and written to `out` at `outOffset`. Pixels of the region outside the
 * image count as `outside` (0 = black: zero padding).
 */
export function poolRegion(
  source: HostPixels,
  region: PixelRegion,
  outHeight: number,
  outWidth: number,
  out: Float32Array,
  outOffset: number,
  outside = 0,
): void {
  const { height, width, channels, data } = source;
  const { top, left, height: regionHeight, width: regionWidth } = region;
  const [r, g, b] = rgbChannels(channels);
  const rows = adaptiveBins(regionHeight, outHeight);
  const cols = adaptiveBins(regionWidth, outWidth);
  // Pass 1: rows → outHeight × regionWidth × 3.
  const rowMeans = new Float64Array(outHeight * regionWidth * 3);
  for (let i = 0; i < outHeight; i++) {
    const start = rows.starts[i] as number;
    const end = rows.ends[i] as number;
    const acc = rowMeans.subarray(i * regionWidth * 3, (i + 1) * regionWidth * 3);
    for (let y = top + start; y < top + end; y++) {
      const inside = y >= 0 && y < height;
      for (let x = 0; x < regionWidth; x++) {
        const sx = left + x;
        if (!inside || sx < 0 || sx >= width) {
          acc[3 * x] = (acc[3 * x] as number) + outside;
          acc[3 * x + 1] = (acc[3 * x + 1] as number) + outside;
          acc[3 * x + 2] = (acc[3 * x + 2] as number) + outside;
          continue;
        }
        const p = (y * width + sx) * channels;
        acc[3 * x] = (acc[3 * x] as number) + (data[p + r] as number);
        acc[3 * x + 1] = (acc[3 * x + 1] as number) + (data[p + g] as number);
        acc[3 * x + 2] = (acc[3 * x + 2] as number) + (data[p + b] as number);
      }
    }
    const scale = 1 / (end - start);
    for (let k = 0; k < acc.length; k++) acc[k] = (acc[k] as number) * scale;
  }
  // Pass 2: columns → outHeight × outWidth × 3.
  for (let i = 0; i < outHeight; i++) {
    const row = i * regionWidth * 3;
    for (let j = 0; j < outWidth; j++) {
      const start = cols.starts[j] as number;
      const end = cols.ends[j] as number;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (let x = start; x < end; x++) {
        sr += rowMeans[row + 3 * x] as number;
        sg += rowMeans[row + 3 * x + 1] as number;
        sb += rowMeans[row + 3 * x + 2] as number;
      }
      const o = outOffset + (i * outWidth + j) * 3;
      const scale = 1 / (end - start);
      out[o] = sr * scale;
      out[o + 1] = sg * scale;
      out[o + 2] = sb * scale;
    }
  }
}

/** The whole image area-resized to height × width, as RGB host pixels. */
export function resizeHostPixels(source: HostPixels, height: number, width: number): HostPixels {
  const data = new Float32Array(height * width * 3);
  poolRegion(source, { top: 0, left: 0, height: source.height, width: source.width }, height, width, data, 0);
  return { height, width, channels: 3, data };
}

/**
 * size × size RGB patches of integer pixel windows [left, top, right, bottom) (zero padded outside
 * the image), concatenated: N × size × size × 3 values.
 */
export function cropHostPatches(source: HostPixels, windows: Float32Array, size: number): Float32Array {
  const count = windows.length / 4;
  const out = new Float32Array(count * size * size * 3);
  for (let n = 0; n < count; n++) {
    poolRegion(source, pixelWindow(windows, n), size, size, out, n * size * size * 3);
  }
  return out;
}
