/**
 * PyTorch's area interpolation (`F.interpolate(mode='area')` = adaptive average pooling), reproduced
 * exactly in TypeScript on the CPU: output pixel i averages the whole source pixels
 * ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉ − 1 (neighbouring bins overlap by a pixel when the ratio is not an
 * integer). The reference detector (facenet-pytorch) resamples its pyramid and its R-/O-Net crops
 * this way; the default 'exact-area' resampling does too, and reproduces the reference to ~1e-4 IoU,
 * which the device approximations in resample.ts do not (see docs/detector.md).
 *
 * Read from a summed-area table: the table is built once per photo, then every value of every pyramid
 * level and R-/O-Net patch is four lookups, whatever the reduction. All levels and patches of a photo
 * then cost about two passes over the detection image, where pooling each level separately costs a
 * pass per level, and the device approximation k² bilinear samples per level pixel ('area').
 *
 * Sums are float64: a 1280 px image of 255s sums to 4·10⁸, where float32 would keep only ~5 bits
 * below the point of a bin's mean. Memory: 24 bytes per detection-image pixel (39 MB at 1280 × 1280);
 * the detector keeps one table's array for its next photo (array-pool.ts, KEPT_TABLE_LENGTH). Values
 * are raw (0..255); the caller normalises.
 */

/** Pixels on the host: height × width × channels values, row-major; channels 1..4 (grey, grey+α, RGB, RGBA). */
export interface HostPixels {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly data: ArrayLike<number>;
}

/** Source bins [start, end) of adaptive average pooling from `inSize` to `outSize` (integer arithmetic). */
export function adaptiveBins(inSize: number, outSize: number): { starts: Int32Array; ends: Int32Array } {
  const starts = new Int32Array(outSize);
  const ends = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    starts[i] = Math.floor((i * inSize) / outSize);
    ends[i] = Math.ceil(((i + 1) * inSize) / outSize);
  }
  return { starts, ends };
}

/** Rows [top, top + height) × columns [left, left + width) of an image; may reach outside it. */
export interface PixelRegion {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/** The summed-area table of an image's RGB values (integralImage). */
export interface IntegralImage {
  readonly height: number;
  readonly width: number;
  /** (height + 1) × (width + 1) × 3: sums[y][x][c] = Σ of channel c over rows < y, columns < x. */
  readonly sums: Float64Array;
}

/** Channel read for R, G, B: grey images repeat channel 0; alpha is ignored. */
export function rgbChannels(channels: number): readonly [number, number, number] {
  return channels >= 3 ? [0, 1, 2] : [0, 0, 0];
}

/** Values in the summed-area table of a height × width image. */
export const integralTableLength = (height: number, width: number): number => (height + 1) * (width + 1) * 3;

/** A detector keeps one table of up to 1280 × 1280 pixels (the preferred detection side): ≤ 39 MB. */
export const KEPT_TABLE_LENGTH = integralTableLength(1280, 1280);

/**
 * One pass over `source`; any channel count and value type HostPixels allows. `sums` (default: a new
 * array) may hold stale values: its first row and column are zeroed here and every other value is
 * overwritten, so a pooled array can be reused (array-pool.ts).
 */
export function integralImage(
  source: HostPixels,
  sums: Float64Array = new Float64Array(integralTableLength(source.height, source.width)),
): IntegralImage {
  const { height, width, channels, data } = source;
  const [r, g, b] = rgbChannels(channels);
  const stride = (width + 1) * 3;
  if (sums.length !== integralTableLength(height, width)) {
    throw new Error(`a ${width}×${height} table needs ${integralTableLength(height, width)} values`);
  }
  sums.fill(0, 0, stride);
  for (let y = 0; y < height; y++) {
    const above = y * stride;
    const here = above + stride;
    sums[here] = 0;
    sums[here + 1] = 0;
    sums[here + 2] = 0;
    let p = y * width * channels;
    let sr = 0;
    let sg = 0;
    let sb = 0;
    for (let o = 3; o < stride; o += 3, p += channels) {
      sr += data[p + r] as number;
      sg += data[p + g] as number;
      sb += data[p + b] as number;
      sums[here + o] = (sums[above + o] as number) + sr;
      sums[here + o + 1] = (sums[above + o + 1] as number) + sg;
      sums[here + o + 2] = (sums[above + o + 2] as number) + sb;
    }
  }
  return { height, width, sums };
}

/**
 * Bin edges of `out` bins over `size` region pixels starting at `origin`, clamped to [0, limit] and
 * pre-multiplied by `scale` (the table's stride along that axis), plus each bin's full pixel count
 * (pixels outside the image count as black: zero padding).
 */
function clampedBins(origin: number, size: number, out: number, limit: number, scale: number) {
  const { starts, ends } = adaptiveBins(size, out);
  const from = new Int32Array(out);
  const to = new Int32Array(out);
  const counts = new Float64Array(out);
  for (let i = 0; i < out; i++) {
    const start = origin + (starts[i] as number);
    const end = origin + (ends[i] as number);
    counts[i] = end - start;
    const lo = Math.min(limit, Math.max(0, start));
    const hi = Math.min(limit, Math.max(0, end));
    from[i] = lo * scale;
    to[i] = Math.max(lo, hi) * scale;
  }
  return { from, to, counts };
}

/**
 * `region` pooled to outHeight × outWidth × 3 and written to `out` at `outOffset`. Pixels of the
 * region outside the image count as black (zero padding).
 */
export function poolIntegral(
  table: IntegralImage,
  region: PixelRegion,
  outHeight: number,
  outWidth: number,
  out: Float32Array,
  outOffset: number,
): void {
  const { sums, height, width } = table;
  const { top, left, height: regionHeight, width: regionWidth } = region;
  const stride = (width + 1) * 3;
  const rows = clampedBins(top, regionHeight, outHeight, height, stride);
  const cols = clampedBins(left, regionWidth, outWidth, width, 3);
  let o = outOffset;
  for (let i = 0; i < outHeight; i++) {
    const y0 = rows.from[i] as number;
    const y1 = rows.to[i] as number;
    const rowCount = rows.counts[i] as number;
    for (let j = 0; j < outWidth; j++, o += 3) {
      const x0 = cols.from[j] as number;
      const x1 = cols.to[j] as number;
      const scale = 1 / (rowCount * (cols.counts[j] as number));
      const a = y1 + x1;
      const b = y0 + x1;
      const c = y1 + x0;
      const d = y0 + x0;
      for (let ch = 0; ch < 3; ch++) {
        out[o + ch] =
          ((sums[a + ch] as number) -
            (sums[b + ch] as number) -
            (sums[c + ch] as number) +
            (sums[d + ch] as number)) *
          scale;
      }
    }
  }
}

/** The whole table's image area-resized to height × width × 3 (a pyramid level). */
export function resizeIntegral(table: IntegralImage, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width * 3);
  poolIntegral(table, { top: 0, left: 0, height: table.height, width: table.width }, height, width, out, 0);
  return out;
}

/** Window n of `windows` ([left, top, right, bottom), pixels) rounded to whole pixels, at least 1 × 1. */
export function pixelWindow(windows: Float32Array, n: number): PixelRegion {
  const left = Math.round(windows[4 * n] as number);
  const top = Math.round(windows[4 * n + 1] as number);
  const right = Math.round(windows[4 * n + 2] as number);
  const bottom = Math.round(windows[4 * n + 3] as number);
  return { top, left, height: Math.max(1, bottom - top), width: Math.max(1, right - left) };
}

/**
 * size × size × 3 patches of pixel windows [left, top, right, bottom), rounded to whole pixels
 * (black outside the image), concatenated: N × size × size × 3 values.
 */
export function cropIntegral(table: IntegralImage, windows: Float32Array, size: number): Float32Array {
  const count = windows.length / 4;
  const out = new Float32Array(count * size * size * 3);
  for (let n = 0; n < count; n++) {
    poolIntegral(table, pixelWindow(windows, n), size, size, out, n * size * size * 3);
  }
  return out;
}
