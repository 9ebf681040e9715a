/**
 * Detector configuration: one typed, frozen default object, validation, and a non-mutating merge of
 * per-call overrides. Every field is explicit; a value of 0 is a real value (merging uses `??`).
 */

/** Score thresholds of P-Net, R-Net and O-Net, in that order. */
export type StageThresholds = readonly [pnet: number, rnet: number, onet: number];

/** Overlap above which non-maximum suppression removes the lower-scoring box, per step. */
export interface NmsThresholds {
  /** P-Net candidates within one pyramid level (IoU). */
  readonly perScale: number;
  /** P-Net candidates of all levels together (IoU). */
  readonly crossScale: number;
  /** After R-Net (IoU). */
  readonly rnet: number;
  /** After O-Net, by intersection over the smaller box ("Min"), so nested boxes merge. */
  readonly onet: number;
}

/**
 * How images are resampled for the pyramid and for R-/O-Net crops.
 * - 'exact-area' (default): PyTorch's area interpolation, as the reference (facenet-pytorch) does,
 *   exactly: on the host from a summed-area table of the detection image (exact-area.ts), read once
 *   from a tensor input after the large-photo cap; the networks' inputs are uploaded. Matches the
 *   reference to ~1e-4 IoU, gives the same pixels on every backend, and is the fastest on WASM;
 * - 'area': the mean of the source pixels under each output pixel, approximated on the device by
 *   averaged bilinear samples from 2 × 2 octaves (no read of the image);
 * - 'bilinear': one bilinear sample per output pixel on the device (cheapest; aliases on strong
 *   downscales).
 * The large-photo cap shrinks on the device in every mode (shrinkImage).
 */
export type Resampling = 'area' | 'bilinear' | 'exact-area';

/**
 * What R-Net / O-Net see for a box that reaches outside the image. 'pad': the box is cropped as is
 * and the outside is black (zero padding, as the original MTCNN and face-api.js do; the default).
 * 'stretch': only the inside part is cropped and stretched to the square input, facenet-pytorch's
 * behaviour, offered to reproduce that reference on border faces.
 */
export type BorderCrops = 'pad' | 'stretch';

export interface DetectorConfig {
  /** Smallest face side (px of the detection image) the pyramid looks for. Default 20. */
  readonly minFaceSize: number;
  /**
   * Smallest face side as a fraction of the detection image's longest side; the pyramid starts at
   * max(minFaceSize, minFaceFraction · longest side). P-Net's cost grows with pixels / smallest
   * face², so a relative minimum bounds the detection work per photo instead of per pixel.
   * In [0, 1); 0 = only minFaceSize counts (the reference's behaviour). Default 1/40: a 1280 px
   * group shot is searched from 32 px faces, and P-Net's first level is ~480 px long.
   */
  readonly minFaceFraction: number;
  /**
   * Upper bound (px of the ORIGINAL photo) on the relative minimum: faces of this size are always
   * searched for, however large the photo. Default 40, so a 24 MP photo (6000 px, detected at the
   * 3072 px cap) still finds faces of 40 px, while a 2 MP portrait starts P-Net at ~600 px instead
   * of ~1200. Infinity = the fraction alone decides.
   */
  readonly minFaceLimit: number;
  /** Ratio between consecutive pyramid levels, in (0, 1). Default 0.709 (≈ 1/√2). */
  readonly scaleFactor: number;
  /**
   * Default [0.6, 0.65, 0.7]. facenet-pytorch uses [0.6, 0.7, 0.7], the `mtcnn` Python package
   * [0.6, 0.7, 0.8]. R-Net is at 0.65 because zero-padded border crops (borderCrops 'pad') darken
   * faces that fill a tight crop: with exact area, `bbt/stuart5`'s face scores 0.65–0.7 there and was
   * lost; at 0.65 every shared face is found with no extra detection (docs/detector.md).
   */
  readonly thresholds: StageThresholds;
  /** Default { perScale: 0.5, crossScale: 0.7, rnet: 0.7, onet: 0.7 }. */
  readonly nmsThresholds: NmsThresholds;
  /** Keep at most this many faces (highest scores). Default Infinity; 0 returns no faces. */
  readonly maxFaces: number;
  /**
   * P-Net candidates (after its NMS, highest scores first) passed to R-Net, which costs ~0.1–0.3 ms
   * per candidate on WASM. An integer ≥ 1, or Infinity (the reference: all of them). Default 300
   * (typical photos yield 50–650 at the default cap; a face keeps several candidates).
   */
  readonly maxProposals: number;
  /**
   * Longest side (px) of the image the detector works on. Larger photos are downscaled to it and the
   * results mapped back to full resolution, which bounds time and memory. Default 3072: a 24 MP photo
   * (6000 × 4000) can be detected at up to 3072 × 2048, where minFaceSize 20 is 20 · 6000 / 3072 ≈ 39
   * px of the original, so faces of 40 px and more are still found. Infinity disables the cap.
   */
  readonly maxDetectionSide: number;
  /**
   * Longest side the detector prefers to work at (≤ maxDetectionSide wins). Larger photos are shrunk
   * to it unless that would make a face of minFaceLimit px smaller than minFaceSize; then only as far
   * as keeps it minFaceSize. Default 1280: P-Net, resampling and memory no longer grow with the
   * pixel count of ordinary photos. Infinity = work at maxDetectionSide.
   */
  readonly preferredDetectionSide: number;
  /** Default 'exact-area' (the reference's resampling, exactly; see docs/detector.md). */
  readonly resampling: Resampling;
  /** Default 'pad' (zero padding). */
  readonly borderCrops: BorderCrops;
}

/** Per-call or per-detector overrides: any subset; nmsThresholds may be partial too. */
export type DetectorOverrides = Partial<Omit<DetectorConfig, 'nmsThresholds'>> & {
  readonly nmsThresholds?: Partial<NmsThresholds>;
};

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = Object.freeze({
  minFaceSize: 20,
  minFaceFraction: 1 / 40,
  minFaceLimit: 40,
  scaleFactor: 0.709,
  thresholds: Object.freeze([0.6, 0.65, 0.7] as const),
  nmsThresholds: Object.freeze({ perScale: 0.5, crossScale: 0.7, rnet: 0.7, onet: 0.7 }),
  maxFaces: Number.POSITIVE_INFINITY,
  maxProposals: 300,
  maxDetectionSide: 3072,
  preferredDetectionSide: 1280,
  resampling: 'exact-area',
  borderCrops: 'pad',
});

/** Raised for a configuration value outside its documented range; names the field. */
export class DetectorConfigError extends RangeError {
  constructor(field: string, value: unknown, expected: string) {
    super(`detector config: ${field} = ${String(value)} is invalid; expected ${expected}`);
    this.name = 'DetectorConfigError';
  }
}

function requireRange(field: string, value: number, min: number, max: number, expected: string): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new DetectorConfigError(field, value, expected);
  }
}

function requireProbability(field: string, value: number): void {
  requireRange(field, value, 0, 1, 'a number in [0, 1]');
}

/** Throws DetectorConfigError unless every field is in its documented range. */
export function validateDetectorConfig(config: DetectorConfig): DetectorConfig {
  const {
    minFaceSize,
    minFaceFraction,
    minFaceLimit,
    scaleFactor,
    thresholds,
    nmsThresholds,
    maxFaces,
    maxProposals,
    maxDetectionSide,
    preferredDetectionSide,
    resampling,
    borderCrops,
  } = config;
  if (!(Number.isFinite(minFaceSize) && minFaceSize > 0)) {
    throw new DetectorConfigError('minFaceSize', minFaceSize, 'a finite number > 0');
  }
  if (!(minFaceFraction >= 0 && minFaceFraction < 1)) {
    throw new DetectorConfigError('minFaceFraction', minFaceFraction, 'a number in [0, 1)');
  }
  if (!(minFaceLimit > 0)) {
    throw new DetectorConfigError('minFaceLimit', minFaceLimit, 'a number > 0 or Infinity');
  }
  if (!(scaleFactor > 0 && scaleFactor < 1)) {
    throw new DetectorConfigError('scaleFactor', scaleFactor, 'a number in (0, 1)');
  }
  if (!Array.isArray(thresholds) || thresholds.length !== 3) {
    throw new DetectorConfigError('thresholds', thresholds, 'a tuple [pnet, rnet, onet]');
  }
  for (const [i, t] of thresholds.entries()) requireProbability(`thresholds[${i}]`, t);
  for (const key of ['perScale', 'crossScale', 'rnet', 'onet'] as const) {
    requireProbability(`nmsThresholds.${key}`, nmsThresholds[key]);
  }
  if (!(maxFaces === Number.POSITIVE_INFINITY || (Number.isInteger(maxFaces) && maxFaces >= 0))) {
    throw new DetectorConfigError('maxFaces', maxFaces, 'an integer ≥ 0 or Infinity');
  }
  if (!(maxProposals === Number.POSITIVE_INFINITY || (Number.isInteger(maxProposals) && maxProposals >= 1))) {
    throw new DetectorConfigError('maxProposals', maxProposals, 'an integer ≥ 1 or Infinity');
  }
  // Below 12 px P-Net cannot run on any level, so a smaller cap could only ever return nothing.
  if (
    !(
      maxDetectionSide === Number.POSITIVE_INFINITY ||
      (Number.isInteger(maxDetectionSide) && maxDetectionSide >= 12)
    )
  ) {
    throw new DetectorConfigError('maxDetectionSide', maxDetectionSide, 'an integer ≥ 12 or Infinity');
  }
  if (
    !(
      preferredDetectionSide === Number.POSITIVE_INFINITY ||
      (Number.isInteger(preferredDetectionSide) && preferredDetectionSide >= 12)
    )
  ) {
    throw new DetectorConfigError(
      'preferredDetectionSide',
      preferredDetectionSide,
      'an integer ≥ 12 or Infinity',
    );
  }
  if (resampling !== 'area' && resampling !== 'bilinear' && resampling !== 'exact-area') {
    throw new DetectorConfigError('resampling', resampling, "'area', 'bilinear' or 'exact-area'");
  }
  if (borderCrops !== 'pad' && borderCrops !== 'stretch') {
    throw new DetectorConfigError('borderCrops', borderCrops, "'pad' or 'stretch'");
  }
  return config;
}

/** A new validated, frozen config: `base` with `overrides` applied. Neither input is modified. */
export function resolveDetectorConfig(
  base: DetectorConfig,
  overrides: DetectorOverrides = {},
): DetectorConfig {
  const thresholds = overrides.thresholds ?? base.thresholds;
  if (!Array.isArray(thresholds) || thresholds.length !== 3) {
    throw new DetectorConfigError('thresholds', thresholds, 'a tuple [pnet, rnet, onet]');
  }
  const [pnet, rnet, onet] = thresholds;
  const merged: DetectorConfig = {
    minFaceSize: overrides.minFaceSize ?? base.minFaceSize,
    minFaceFraction: overrides.minFaceFraction ?? base.minFaceFraction,
    minFaceLimit: overrides.minFaceLimit ?? base.minFaceLimit,
    scaleFactor: overrides.scaleFactor ?? base.scaleFactor,
    thresholds: Object.freeze([pnet, rnet, onet] as const),
    nmsThresholds: Object.freeze({
      perScale: overrides.nmsThresholds?.perScale ?? base.nmsThresholds.perScale,
      crossScale: overrides.nmsThresholds?.crossScale ?? base.nmsThresholds.crossScale,
      rnet: overrides.nmsThresholds?.rnet ?? base.nmsThresholds.rnet,
      onet: overrides.nmsThresholds?.onet ?? base.nmsThresholds.onet,
    }),
    maxFaces: overrides.maxFaces ?? base.maxFaces,
    maxProposals: overrides.maxProposals ?? base.maxProposals,
    maxDetectionSide: overrides.maxDetectionSide ?? base.maxDetectionSide,
    preferredDetectionSide: overrides.preferredDetectionSide ?? base.preferredDetectionSide,
    resampling: overrides.resampling ?? base.resampling,
    borderCrops: overrides.borderCrops ?? base.borderCrops,
  };
  return Object.freeze(validateDetectorConfig(merged));
}
