/**
 * Detector parity with the MTCNN reference (facenet-pytorch, ../shared/fixtures/mtcnn-reference.json)
 * on every photo it covers, on the WASM backend.
 *
 * The reference detects at full resolution with 20 px faces and passes every P-Net candidate on, so
 * the parity checks pin that (REFERENCE_RESOLUTION) instead of the app's speed defaults (a detection
 * cap, a minimum face relative to the photo, a proposal cap; docs/detector.md). Three configurations:
 * - zero padding (as issue 3 requires; the app's resampling and thresholds) at the reference's resolution.
 *   Faces inside the image must meet the criteria. Border-crossing faces (all of bbt/) cannot:
 *   the reference stretches their crops instead of padding them, which moves its boxes (IoU ~0.72
 *   between the two behaviours); they are required to be found, and their numbers are printed.
 * - facenet-pytorch compatibility (borderCrops 'stretch', resampling 'exact-area', its thresholds
 *   [0.6, 0.7, 0.7]): every stable
 *   reference face must meet the criteria, border faces included. This proves the cascade itself
 *   (pyramid, box generation, NMS, regression, squaring, landmarks) reproduces the reference.
 * - the app's defaults: every required reference face must still be found (no lost faces), inside
 *   faces must stay close on average, and no confident detection may be extra.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/io/node-image.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import type { DetectorOverrides } from '../../src/pipeline/mtcnn/config.ts';
import {
  createFaceDetector,
  type DetectedFace,
  type FaceDetector,
} from '../../src/pipeline/mtcnn/detector.ts';
import {
  compareFaces,
  type ImageComparison,
  isRequired,
  type ReferenceFace,
  type ReferenceImage,
  summarise,
} from '../../src/pipeline/mtcnn/evaluate.ts';
import { facesDir, hasShared, readModelFile } from '../support/shared.ts';
import { readReferenceFixture, selectBackend } from './support.ts';

interface Case {
  readonly key: string;
  readonly reference: ReferenceImage;
  readonly image: RgbImage;
}

interface Run {
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly reference: readonly ReferenceFace[];
  readonly faces: readonly DetectedFace[];
  readonly comparison: ImageComparison;
}

async function detectAll(
  detector: FaceDetector,
  cases: readonly Case[],
  overrides: DetectorOverrides,
): Promise<Run[]> {
  const runs: Run[] = [];
  for (const { key, reference, image } of cases) {
    const faces = await detector.detect(image, overrides);
    runs.push({
      key,
      width: image.width,
      height: image.height,
      reference: reference.faces,
      faces,
      comparison: compareFaces(reference.faces, faces, image.width, image.height),
    });
  }
  return runs;
}

/** 50 photos per run; on the shared 2-core machine under load one run took 155 s. */
const PARITY_TIMEOUT_MS = 600_000;

/** facenet-pytorch's own resolution: no cap, 20 px faces, every P-Net candidate. */
const REFERENCE_RESOLUTION: DetectorOverrides = {
  maxDetectionSide: Number.POSITIVE_INFINITY,
  preferredDetectionSide: Number.POSITIVE_INFINITY,
  minFaceFraction: 0,
  maxProposals: Number.POSITIVE_INFINITY,
};

/** Required reference faces without any matching detection (IoU ≥ 0.3), whatever the IoU. */
const lostFaces = (runs: readonly Run[]) =>
  runs.flatMap(({ key, reference, comparison }) =>
    reference.flatMap((face, r) =>
      isRequired(face) && !comparison.matches.some((m) => m.reference === r) ? [`${key} face ${r}`] : [],
    ),
  );

function report(label: string, runs: readonly Run[]) {
  const summary = summarise(runs.map(({ comparison, reference }) => ({ comparison, reference })));
  const r = (x: number) => x.toFixed(4);
  console.log(
    `${label}: recall ${r(summary.recall)} (${summary.requiredFaces - summary.missed}/${summary.requiredFaces}), ` +
      `mean IoU ${r(summary.meanIoU)} (inside ${r(summary.meanIoUInside)}, border ${r(summary.meanIoUBorder)}, ` +
      `min ${r(summary.minIoU)}), mean landmark error ${summary.meanLandmarkError.toFixed(2)} px ` +
      `(${r(summary.meanLandmarkErrorPerWidth)} × box width), confident extras ${summary.confidentExtras}`,
  );
  return summary;
}

/**
 * Required reference faces (stable, score ≥ 0.9) that fail, as readable strings. A face without any
 * matching detection always fails; the IoU and landmark criteria apply to border-crossing faces only
 * when `scope` is 'all'.
 */
function failures(runs: readonly Run[], scope: 'all' | 'inside'): string[] {
  return runs.flatMap(({ key, reference, comparison }) =>
    reference.flatMap((face, r) => {
      if (!isRequired(face)) return [];
      const match = comparison.matches.find((m) => m.reference === r);
      if (match === undefined) return [`${key} face ${r}: not found`];
      if (match.passes || (scope === 'inside' && match.crossesBorder)) return [];
      return [
        `${key} face ${r}: IoU ${match.iou.toFixed(3)}, landmark ${match.maxLandmarkErrorPerWidth.toFixed(3)} × width`,
      ];
    }),
  );
}

/**
 * Crops where the fixture's README ("Reference quirks") records that the reference misses the real
 * face, which fills the 150 px crop. Finding it is right, not an extra.
 */
const FACE_MISSED_BY_REFERENCE = new Set(['bbt/bernadette/bernadette5.png', 'bbt/howard/howard5.png']);

/** In those crops, the one detection that is that face: a box over the centre, at least half the crop wide. */
function isFaceMissedByReference(run: Run, face: DetectedFace | undefined): boolean {
  if (face === undefined || !FACE_MISSED_BY_REFERENCE.has(run.key)) return false;
  const [x1, y1, x2, y2] = face.box;
  const [cx, cy] = [run.width / 2, run.height / 2];
  return x1 < cx && cx < x2 && y1 < cy && cy < y2 && x2 - x1 >= run.width / 2;
}

/** Unmatched detections with score ≥ 0.95, except (once per crop) the face the reference misses. */
const confidentExtras = (runs: readonly Run[]) =>
  runs.flatMap((run) => {
    const extras = run.comparison.confidentExtras.map((d) => run.faces[d]);
    const excused = extras.findIndex((face) => isFaceMissedByReference(run, face));
    return extras.filter((_, i) => i !== excused).map((face) => `${run.key}: ${face?.score}`);
  });

describe.skipIf(!hasShared)('MTCNN parity with facenet-pytorch (WASM)', () => {
  let cases: Case[] = [];
  let detector: FaceDetector;

  beforeAll(async () => {
    await selectBackend('wasm');
    const fixture = await readReferenceFixture();
    cases = await Promise.all(
      Object.entries(fixture.images).map(async ([key, reference]) => ({
        key,
        reference,
        image: await decodeImageFile(join(facesDir, key)),
      })),
    );
    detector = await createFaceDetector(readModelFile);
    return () => detector.dispose();
  });

  it('covers every photo of the fixture', () => {
    expect(cases.length).toBe(50);
  });

  it('zero padding at the reference resolution: faces inside the image match; border faces are found', {
    timeout: PARITY_TIMEOUT_MS,
  }, async () => {
    const runs = await detectAll(detector, cases, REFERENCE_RESOLUTION);
    const summary = report('reference resolution (pad, exact-area)', runs);
    expect(failures(runs, 'inside')).toEqual([]);
    expect(summary.meanIoUInside).toBeGreaterThanOrEqual(0.9);
    expect(confidentExtras(runs)).toEqual([]);
  });

  it('facenet-pytorch compatibility (stretch, exact-area): every stable face matches, border faces included', {
    timeout: PARITY_TIMEOUT_MS,
  }, async () => {
    const runs = await detectAll(detector, cases, {
      ...REFERENCE_RESOLUTION,
      thresholds: [0.6, 0.7, 0.7],
      borderCrops: 'stretch',
      resampling: 'exact-area',
    });
    const summary = report('compatibility (stretch, exact-area)', runs);
    expect(failures(runs, 'all')).toEqual([]);
    expect(summary.recall).toBe(1);
    expect(summary.meanIoU).toBeGreaterThanOrEqual(0.99);
    expect(confidentExtras(runs)).toEqual([]);
  });

  it("the app's defaults lose no face: every required face is found, inside faces stay close", {
    timeout: PARITY_TIMEOUT_MS,
  }, async () => {
    const runs = await detectAll(detector, cases, {});
    const summary = report('app defaults', runs);
    expect(lostFaces(runs)).toEqual([]);
    expect(summary.meanIoUInside).toBeGreaterThanOrEqual(0.9);
    expect(confidentExtras(runs)).toEqual([]);
  });
});
