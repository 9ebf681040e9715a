/**
 * How often the kiosk's liveness check (FaceAntiSpoofing, src/worker/kiosk-analysis.ts) rejects
 * genuine faces: runs it on every face of ../shared/data/faces — real people, none of them a
 * presentation attack — exactly as the kiosk does (MTCNN box → square crop → 256×256, pixel/255,
 * score = Σ |leaf score| · leaf mask, rejected when score > LIVENESS_THRESHOLD) and prints the
 * rejection rate per folder. The result is quoted in docs/kiosk.md.
 *
 * Run: `npm run liveness [-- facesDir]` (tfjs WASM backend in Node).
 */
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/cli/backend.ts';
import { isImagePath, modelFileReader, naturalCompare, projectRoot } from '../src/cli/files.ts';
import { decodeImageFile } from '../src/io/node-image.ts';
import { detectFaces } from '../src/pipeline/face-pipeline.ts';
import { imageToTensor } from '../src/pipeline/image.ts';
import { loadGraphModel } from '../src/pipeline/models/load-model.ts';
import { createFaceDetector } from '../src/pipeline/mtcnn/index.ts';
import { GUIDANCE_RULES } from '../src/ui/kiosk/guidance.ts';
import type { FaceBox } from '../src/worker/api.ts';
import { LIVENESS_THRESHOLD, livenessScore } from '../src/worker/kiosk-analysis.ts';

/** Tight crops (bbt/, aligned/) need a border for MTCNN to see the whole face, as elsewhere. */
const DETECT_PADDING: Readonly<Record<string, number>> = { bbt: 40, aligned: 32 };

interface Sample {
  readonly file: string;
  readonly face: number;
  /** Box height in the photo's pixels: the model is sensitive to how much detail the face has. */
  readonly height: number;
  readonly score: number;
}

/** Face-height bins for the second table (pixels). */
const HEIGHT_BINS = [0, 100, 150, 250, Number.POSITIVE_INFINITY] as const;

async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isImagePath(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort(naturalCompare);
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  const facesDir = resolve(process.argv[2] ?? join(projectRoot, '../shared/data/faces'));
  const backend = await initNodeBackend();
  const read = modelFileReader();
  const detector = await createFaceDetector(read);
  const antispoof = await loadGraphModel('antispoof', read);
  const bySet = new Map<string, Sample[]>();

  for (const file of await listImages(facesDir)) {
    const rel = relative(facesDir, file);
    const set = rel.split('/')[0] ?? rel;
    const image = await decodeImageFile(file);
    const tensor = imageToTensor(image);
    try {
      // Every confident face (group photos have several); the kiosk itself uses the largest.
      const faces = await detectFaces(tensor, detector, {
        minScore: GUIDANCE_RULES.minScore,
        detectPadding: DETECT_PADDING[set] ?? 0,
      });
      for (const [i, face] of faces.entries()) {
        const box = face.box as unknown as FaceBox;
        const score = await livenessScore(antispoof, tensor, box);
        const samples = bySet.get(set) ?? [];
        samples.push({ file: rel, face: i, height: box[3] - box[1], score });
        bySet.set(set, samples);
      }
    } finally {
      tensor.dispose();
    }
  }

  console.log(
    `FaceAntiSpoofing on live faces (${backend} backend), rejected when score > ${LIVENESS_THRESHOLD}`,
  );
  console.log('set       faces  rejected  rate    median  p90     max');
  let all: Sample[] = [];
  for (const [set, samples] of [...bySet].sort(([a], [b]) => a.localeCompare(b))) {
    all = all.concat(samples);
    const scores = samples.map((s) => s.score).sort((a, b) => a - b);
    const rejected = samples.filter((s) => s.score > LIVENESS_THRESHOLD).length;
    console.log(
      `${set.padEnd(9)} ${String(samples.length).padStart(5)}  ${String(rejected).padStart(8)}  ` +
        `${((100 * rejected) / samples.length).toFixed(1).padStart(5)} %  ${quantile(scores, 0.5).toFixed(3)}   ` +
        `${quantile(scores, 0.9).toFixed(3)}   ${(scores.at(-1) ?? Number.NaN).toFixed(3)}`,
    );
  }
  const rejectedAll = all.filter((s) => s.score > LIVENESS_THRESHOLD).length;
  console.log(
    `all       ${String(all.length).padStart(5)}  ${String(rejectedAll).padStart(8)}  ` +
      `${((100 * rejectedAll) / all.length).toFixed(1).padStart(5)} %`,
  );
  console.log('\nby face height (px)   faces  rejected  rate');
  for (let i = 0; i + 1 < HEIGHT_BINS.length; i++) {
    const low = HEIGHT_BINS[i] as number;
    const high = HEIGHT_BINS[i + 1] as number;
    const bin = all.filter((s) => s.height >= low && s.height < high);
    const rejected = bin.filter((s) => s.score > LIVENESS_THRESHOLD).length;
    const label = Number.isFinite(high) ? `${low}–${high}` : `≥ ${low}`;
    const rate = bin.length === 0 ? '   –' : `${((100 * rejected) / bin.length).toFixed(1).padStart(5)} %`;
    console.log(
      `${label.padEnd(20)} ${String(bin.length).padStart(6)}  ${String(rejected).padStart(8)}  ${rate}`,
    );
  }
  antispoof.dispose();
  detector.dispose();
  tf.disposeVariables();
}

await main();
