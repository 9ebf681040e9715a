/**
 * Reference MTCNN detections from ../shared/fixtures/mtcnn-reference.json, as landmarks for
 * alignment before (or instead of) running our detector. Used by `npm run calibrate`'s cross-check
 * and by the recognition tests.
 */
import { readFile } from 'node:fs/promises';
import type { DetectedFaceLike } from '../pipeline/face-pipeline.ts';

interface FixtureFace {
  readonly box: [number, number, number, number];
  readonly score: number;
  readonly landmarks: [number, number][];
  readonly stable: boolean;
}

interface Fixture {
  readonly images: Record<
    string,
    { readonly width: number; readonly height: number; readonly faces: FixtureFace[] }
  >;
}

export interface ReferenceFace extends DetectedFaceLike {
  /** True when the reference had no confident face and the set's mean landmarks stand in. */
  readonly fallback: boolean;
}

/**
 * One face per image whose key starts with `prefix` (e.g. 'bbt/'): the best reference face scoring
 * ≥ minScore, else — the tight bbt crops are all framed alike — the mean landmarks and box of the
 * other images of the set (bbt/bernadette/bernadette5.png has no reference face,
 * bbt/howard/howard5.png only a 0.84 false positive on an eye).
 */
export async function loadReferenceFaces(
  fixturePath: string,
  prefix: string,
  minScore = 0.9,
): Promise<Map<string, ReferenceFace>> {
  const fixture = JSON.parse(await readFile(fixturePath, 'utf8')) as Fixture;
  const keys = Object.keys(fixture.images)
    .filter((k) => k.startsWith(prefix))
    .sort();
  const best = new Map<string, FixtureFace>();
  for (const k of keys) {
    const faces = (fixture.images[k]?.faces ?? [])
      .filter((f) => f.score >= minScore)
      .sort((a, b) => b.score - a.score);
    if (faces[0] !== undefined) best.set(k, faces[0]);
  }
  const found = [...best.values()];
  if (found.length === 0) throw new Error(`no reference face with score ≥ ${minScore} under ${prefix}`);
  const mean = (f: (face: FixtureFace) => number) => found.reduce((s, face) => s + f(face), 0) / found.length;
  const meanLandmarks = [0, 1, 2, 3, 4].map((i) => [
    mean((f) => f.landmarks[i]?.[0] ?? 0),
    mean((f) => f.landmarks[i]?.[1] ?? 0),
  ]);
  const meanBox = [0, 1, 2, 3].map((i) => mean((f) => f.box[i] ?? 0));
  const out = new Map<string, ReferenceFace>();
  for (const k of keys) {
    const face = best.get(k);
    out.set(
      k,
      face === undefined
        ? { box: meanBox, score: 0, landmarks: meanLandmarks, fallback: true }
        : { box: face.box, score: face.score, landmarks: face.landmarks, fallback: false },
    );
  }
  return out;
}
