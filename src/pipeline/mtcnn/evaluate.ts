/**
 * Compares detections with reference faces (the mtcnn-reference.json oracle, or another backend's
 * output): one-to-one matching by IoU, the acceptance checks of issue 3, and summary numbers. Pure
 * TypeScript, so the Node parity test, the eval CLI and a browser e2e can share it.
 */
import { boxIoU } from './boxes.ts';
import type { DetectedFace } from './detector.ts';

export interface ReferenceFace {
  readonly box: readonly number[];
  readonly score: number;
  readonly landmarks: readonly (readonly number[])[];
  /** false: borderline in the reference itself (vanished under ±1 noise or float64). */
  readonly stable?: boolean;
}

/** Acceptance thresholds (issue 3 / mtcnn-reference.md). */
export const PARITY_CRITERIA = Object.freeze({
  /** Reference faces that must be found: stable and at least this score. */
  requiredScore: 0.9,
  minIoU: 0.8,
  /** Every landmark within this fraction of the reference box width. */
  maxLandmarkErrorPerWidth: 0.12,
  /** A detection this confident must correspond to some reference face. */
  maxUnmatchedScore: 0.95,
  /** Pairs below this IoU are different faces, not a poor match. */
  matchIoU: 0.3,
});

export interface FaceMatch {
  readonly reference: number;
  readonly detection: number;
  readonly iou: number;
  /** Mean Euclidean landmark distance (px). */
  readonly landmarkError: number;
  /** Largest landmark distance / reference box width. */
  readonly maxLandmarkErrorPerWidth: number;
  /** The reference box reaches outside the image (the reference stretches such crops, we pad). */
  readonly crossesBorder: boolean;
  readonly required: boolean;
  readonly passes: boolean;
}

export interface ImageComparison {
  readonly matches: readonly FaceMatch[];
  /** Required reference faces without a passing match. */
  readonly missed: readonly number[];
  /** Detections matching no reference face, with score ≥ maxUnmatchedScore. */
  readonly confidentExtras: readonly number[];
  readonly requiredCount: number;
}

const distance = (a: readonly number[], b: readonly number[]) =>
  Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0));

export function crossesBorder(box: readonly number[], width: number, height: number): boolean {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = box;
  return x1 < 1 || y1 < 1 || x2 > width || y2 > height;
}

/** Greedy one-to-one matching, highest IoU first, then the acceptance checks per face. */
export function compareFaces(
  reference: readonly ReferenceFace[],
  detections: readonly DetectedFace[],
  width: number,
  height: number,
): ImageComparison {
  const pairs: Array<{ r: number; d: number; iou: number }> = [];
  reference.forEach((ref, r) => {
    detections.forEach((det, d) => {
      const iou = boxIoU(ref.box, det.box);
      if (iou >= PARITY_CRITERIA.matchIoU) pairs.push({ r, d, iou });
    });
  });
  pairs.sort((a, b) => b.iou - a.iou);
  const usedRef = new Set<number>();
  const usedDet = new Set<number>();
  const matches: FaceMatch[] = [];
  for (const { r, d, iou } of pairs) {
    if (usedRef.has(r) || usedDet.has(d)) continue;
    usedRef.add(r);
    usedDet.add(d);
    const ref = reference[r] as ReferenceFace;
    const det = detections[d] as DetectedFace;
    const errors = ref.landmarks.map((p, i) => distance(p, det.landmarks[i] ?? [Number.NaN, Number.NaN]));
    const refWidth = (ref.box[2] ?? 0) - (ref.box[0] ?? 0);
    const maxLandmarkErrorPerWidth = Math.max(...errors) / refWidth;
    const required = isRequired(ref);
    matches.push({
      reference: r,
      detection: d,
      iou,
      landmarkError: errors.reduce((s, e) => s + e, 0) / errors.length,
      maxLandmarkErrorPerWidth,
      crossesBorder: crossesBorder(ref.box, width, height),
      required,
      passes:
        iou >= PARITY_CRITERIA.minIoU && maxLandmarkErrorPerWidth <= PARITY_CRITERIA.maxLandmarkErrorPerWidth,
    });
  }
  const passed = new Set(matches.filter((m) => m.passes).map((m) => m.reference));
  const requiredIndices = reference.flatMap((ref, r) => (isRequired(ref) ? [r] : []));
  return {
    matches,
    missed: requiredIndices.filter((r) => !passed.has(r)),
    confidentExtras: detections.flatMap((det, d) =>
      !usedDet.has(d) && det.score >= PARITY_CRITERIA.maxUnmatchedScore ? [d] : [],
    ),
    requiredCount: requiredIndices.length,
  };
}

export function isRequired(face: ReferenceFace): boolean {
  return face.stable !== false && face.score >= PARITY_CRITERIA.requiredScore;
}

export interface ParitySummary {
  /** Required reference faces found with a passing match / required faces. */
  readonly recall: number;
  readonly requiredFaces: number;
  readonly matchedFaces: number;
  readonly meanIoU: number;
  readonly meanIoUInside: number;
  readonly meanIoUBorder: number;
  readonly minIoU: number;
  /** Mean over matched faces of the mean landmark distance (px). */
  readonly meanLandmarkError: number;
  /** Mean over matched faces of (mean landmark distance / reference box width). */
  readonly meanLandmarkErrorPerWidth: number;
  readonly missed: number;
  readonly confidentExtras: number;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;

/** Totals over many images (each comparison with the reference faces it was made against). */
export function summarise(
  comparisons: ReadonlyArray<{ comparison: ImageComparison; reference: readonly ReferenceFace[] }>,
): ParitySummary {
  const all = comparisons.flatMap(({ comparison, reference }) =>
    comparison.matches.map((m) => ({
      ...m,
      width: (reference[m.reference]?.box[2] ?? 0) - (reference[m.reference]?.box[0] ?? 0),
    })),
  );
  const required = comparisons.reduce((n, c) => n + c.comparison.requiredCount, 0);
  const missed = comparisons.reduce((n, c) => n + c.comparison.missed.length, 0);
  return {
    recall: required === 0 ? 1 : (required - missed) / required,
    requiredFaces: required,
    matchedFaces: all.length,
    meanIoU: mean(all.map((m) => m.iou)),
    meanIoUInside: mean(all.filter((m) => !m.crossesBorder).map((m) => m.iou)),
    meanIoUBorder: mean(all.filter((m) => m.crossesBorder).map((m) => m.iou)),
    minIoU: Math.min(...all.map((m) => m.iou)),
    meanLandmarkError: mean(all.map((m) => m.landmarkError)),
    meanLandmarkErrorPerWidth: mean(all.map((m) => m.landmarkError / m.width)),
    missed,
    confidentExtras: comparisons.reduce((n, c) => n + c.comparison.confidentExtras.length, 0),
  };
}

/** One image of ../shared/fixtures/mtcnn-reference.json (the fields the comparison uses). */
export interface ReferenceImage {
  readonly width: number;
  readonly height: number;
  readonly faces: readonly ReferenceFace[];
  readonly props?: { readonly rgb_sha256?: string };
}

/** ../shared/fixtures/mtcnn-reference.json; image keys are paths relative to shared/data/faces. */
export interface ReferenceFixture {
  readonly images: Readonly<Record<string, ReferenceImage>>;
}
