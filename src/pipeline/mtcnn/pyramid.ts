/**
 * The image pyramid P-Net scans: which scales, and how large each level is. Pure arithmetic, done in
 * float64 in the same order as the reference so the levels (and hence the boxes) are identical.
 */

import type { ImageGeometry } from './input.ts';

/** P-Net's receptive field: a 12 × 12 window of the level becomes one output cell. */
export const PNET_CELL = 12;
/** P-Net output cells are 2 level pixels apart (one 2 × 2 max-pool). */
export const PNET_STRIDE = 2;

export interface PyramidLevel {
  /** Nominal scale: level pixels per detection-image pixel. Boxes map back by dividing by it. */
  readonly scale: number;
  readonly height: number;
  readonly width: number;
}

/**
 * The smallest face (detection-image px) the pyramid looks for: minFaceSize, or minFaceFraction of the
 * longest side when that is larger — but never more than minFaceLimit px of the original photo. The
 * fraction bounds P-Net's work per photo instead of per pixel; the limit keeps small faces in large
 * photos within reach.
 */
export function smallestFace(
  geometry: ImageGeometry,
  config: {
    readonly minFaceSize: number;
    readonly minFaceFraction: number;
    readonly minFaceLimit: number;
  },
): number {
  const longest = Math.max(geometry.detectionHeight, geometry.detectionWidth);
  const detectionScale = longest / Math.max(geometry.height, geometry.width);
  const relative = Math.min(config.minFaceFraction * longest, config.minFaceLimit * detectionScale);
  return Math.max(config.minFaceSize, relative);
}

/**
 * Scales 12/minFaceSize · scaleFactor^k for as long as the shorter side stays ≥ 12 px, so that a face
 * of minFaceSize px fills P-Net's 12 px window on the first level. Level size is ⌊side · scale + 1⌋,
 * as in facenet-pytorch (slightly larger than side · scale; the nominal scale is still used for boxes).
 */
export function pyramidLevels(
  height: number,
  width: number,
  minFaceSize: number,
  scaleFactor: number,
): PyramidLevel[] {
  const levels: PyramidLevel[] = [];
  const first = PNET_CELL / minFaceSize;
  let scale = first;
  let shorterSide = Math.min(height, width) * first;
  while (shorterSide >= PNET_CELL) {
    levels.push({ scale, height: Math.floor(height * scale + 1), width: Math.floor(width * scale + 1) });
    scale *= scaleFactor;
    shorterSide *= scaleFactor;
  }
  return levels;
}
