/**
 * Reproducible calibration of the recognition defaults (`npm run calibrate`).
 *
 * On ../shared/data/faces/aligned (4 people × 30 pre-aligned 112×112 ArcFace crops; all 7,140
 * pairs: 1,740 same, 5,400 different) and for every embedder × flip-TTA setting × metric it prints,
 * as JSON: ROC AUC, the best-accuracy threshold (middle of the widest range reaching the best
 * accuracy), the equal-error-rate threshold, TAR at FAR 1e-2 / 1e-3, accuracy at the registry's
 * current threshold, rank-1 identification (first 5 per person = gallery, 100 probes) and the
 * embedding time per face. The thresholds in src/models/embedders.ts are the `bestAccuracy`
 * thresholds of this output for each embedder's default TTA setting.
 *
 * A cross-check on ../shared/data/faces/bbt (8 people × 5 tight grayscale crops) is printed too; it
 * is NOT used to pick anything. Landmarks come from our MTCNN (each crop padded by 20 black pixels,
 * the largest face scoring ≥ 0.9) and, for comparison, from the reference MTCNN landmarks of
 * ../shared/fixtures/mtcnn-reference.json (facenet-pytorch, which stretches border-crossing crops —
 * every bbt face crosses the border — so its landmarks are the less precise of the two).
 *
 * Options: --backend wasm|cpu (default wasm), --no-bbt.
 */

import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend, type NodeBackend } from '../src/cli/backend.ts';
import { listIdentityFolders, modelFileReader, projectRoot } from '../src/cli/files.ts';
import { loadReferenceFaces } from '../src/cli/fixtures.ts';
import { decodeImageFile } from '../src/io/node-image.ts';
import { EMBEDDER_IDS, EMBEDDER_SPECS, type EmbedderId } from '../src/models/embedders.ts';
import type { DistanceMetric } from '../src/models/specs.ts';
import { createEmbedder } from '../src/pipeline/embedders/create.ts';
import {
  allPairDistances,
  rank1Identification,
  verificationMetrics,
} from '../src/pipeline/embedders/evaluate.ts';
import {
  type DetectedFaceLike,
  detectFaces,
  embedAlignedCrops,
  embedDetectedFaces,
} from '../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../src/pipeline/image.ts';
import { createFaceDetector } from '../src/pipeline/mtcnn/index.ts';

const METRICS: Record<EmbedderId, readonly DistanceMetric[]> = {
  mobilefacenet: ['cosine', 'euclidean-l2'],
  facerecognitionnet: ['euclidean', 'cosine', 'euclidean-l2'],
};

function pairCounts(labels: readonly string[]): { same: number; different: number } {
  let same = 0;
  let different = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (labels[i] === labels[j]) same++;
      else different++;
    }
  }
  return { same, different };
}

interface CalibrationRow {
  readonly embedder: EmbedderId;
  readonly flipTta: boolean;
  readonly defaultTta: boolean;
  readonly metric: DistanceMetric;
  readonly auc: number;
  readonly bestAccuracy: { readonly threshold: number; readonly accuracy: number };
  readonly eer: { readonly rate: number; readonly threshold: number };
  readonly tarAtFar: readonly { readonly far: number; readonly tar: number; readonly threshold: number }[];
  readonly atRegistryThreshold: { readonly threshold: number; readonly accuracy: number } | null;
  readonly rank1: {
    readonly accuracy: number;
    readonly probes: number;
    readonly gallery: number;
    readonly errors: number;
  };
  readonly msPerFace: number;
}

interface CrossCheckRow {
  readonly landmarks: 'detector' | 'reference';
  readonly embedder: EmbedderId;
  readonly flipTta: boolean;
  readonly metric: DistanceMetric;
  readonly auc: number;
  readonly bestAccuracy: { readonly threshold: number; readonly accuracy: number };
  readonly atRegistryThreshold: { readonly threshold: number; readonly accuracy: number };
  readonly msPerImage: number;
}

const round = (x: number, digits = 4) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { backend: { type: 'string', default: 'wasm' }, 'no-bbt': { type: 'boolean', default: false } },
  });
  const backend = await initNodeBackend(values.backend === 'cpu' ? 'cpu' : 'wasm');
  const facesDir = join(projectRoot, '../shared/data/faces');
  const alignedDir = join(facesDir, 'aligned');
  if (!existsSync(alignedDir)) throw new Error(`${alignedDir} not found: calibration needs ../shared`);
  const folders = await listIdentityFolders(alignedDir);
  const labels = folders.flatMap((f) => f.files.map(() => f.name));
  const images: RgbImage[] = await Promise.all(
    folders.flatMap((f) => f.files.map((p) => decodeImageFile(p))),
  );

  const fixturePath = join(projectRoot, '../shared/fixtures/mtcnn-reference.json');
  const withBbt = !values['no-bbt'] && existsSync(fixturePath);
  const bbt = withBbt ? await loadReferenceFaces(fixturePath, 'bbt/') : new Map<string, DetectedFaceLike>();
  const bbtKeys = [...bbt.keys()];
  const bbtImages = await Promise.all(bbtKeys.map((k) => decodeImageFile(join(facesDir, k))));
  const bbtLabels = bbtKeys.map((k) => k.split('/')[1] ?? k);
  const read = modelFileReader();
  const detected = new Map<string, DetectedFaceLike>();
  if (withBbt) {
    const detector = await createFaceDetector(read);
    try {
      for (const [i, k] of bbtKeys.entries()) {
        const [face] = await detectFaces(bbtImages[i] as RgbImage, detector, {
          detectPadding: 20,
          minScore: 0.9,
          maxFaces: 1,
        });
        if (face === undefined) throw new Error(`our detector found no face in ${k} (padded by 20 px)`);
        detected.set(k, face);
      }
    } finally {
      detector.dispose();
    }
  }

  const results: CalibrationRow[] = [];
  const crossCheck: CrossCheckRow[] = [];
  for (const id of EMBEDDER_IDS) {
    for (const flipTta of [false, true]) {
      const embedder = await createEmbedder(id, read, { flipTta });
      const t0 = performance.now();
      const embeddings = await embedAlignedCrops(images, embedder);
      const msPerFace = (performance.now() - t0) / images.length;
      for (const metric of METRICS[id]) {
        const registry = EMBEDDER_SPECS[id].thresholds as Partial<Record<DistanceMetric, number>>;
        const current = registry[metric];
        const pairs = await allPairDistances(embeddings, labels, metric);
        const m = verificationMetrics(pairs, current === undefined ? [] : [current]);
        const r1 = await rank1Identification(embeddings, labels, metric, 5);
        results.push({
          embedder: id,
          flipTta,
          defaultTta: EMBEDDER_SPECS[id].flipTta === flipTta,
          metric,
          auc: round(m.auc, 5),
          bestAccuracy: {
            threshold: round(m.bestAccuracy.threshold),
            accuracy: round(m.bestAccuracy.accuracy),
          },
          eer: { rate: round(m.eer.rate), threshold: round(m.eer.threshold) },
          tarAtFar: m.tarAtFar.map((t) => ({ far: t.far, tar: round(t.tar), threshold: round(t.threshold) })),
          atRegistryThreshold:
            m.at.map((a) => ({ threshold: a.threshold, accuracy: round(a.accuracy) }))[0] ?? null,
          rank1: {
            accuracy: round(r1.rank1),
            probes: r1.probes,
            gallery: r1.gallery,
            errors: r1.errors.length,
          },
          msPerFace: round(msPerFace, 1),
        });
      }
      for (const [source, faces] of withBbt
        ? ([
            ['detector', detected],
            ['reference', bbt],
          ] as const)
        : []) {
        const t1 = performance.now();
        const bbtEmbeddings: Float32Array[] = [];
        for (const [i, k] of bbtKeys.entries()) {
          const face = faces.get(k);
          if (face === undefined) throw new Error(`no face for ${k}`);
          const [out] = await embedDetectedFaces(bbtImages[i] as RgbImage, [face], embedder, {
            crops: false,
          });
          if (out === undefined) throw new Error(`no embedding for ${k}`);
          bbtEmbeddings.push(out.embedding);
        }
        const msPerImage = (performance.now() - t1) / bbtKeys.length;
        const pairs = await allPairDistances(bbtEmbeddings, bbtLabels, embedder.metric);
        const m = verificationMetrics(pairs, [embedder.defaultThreshold]);
        crossCheck.push({
          landmarks: source,
          embedder: id,
          flipTta,
          metric: embedder.metric,
          auc: round(m.auc),
          bestAccuracy: {
            threshold: round(m.bestAccuracy.threshold),
            accuracy: round(m.bestAccuracy.accuracy),
          },
          atRegistryThreshold: {
            threshold: embedder.defaultThreshold,
            accuracy: round(m.at[0]?.accuracy ?? Number.NaN),
          },
          msPerImage: round(msPerImage, 1),
        });
      }
      embedder.dispose();
    }
  }

  const recommended = Object.fromEntries(
    EMBEDDER_IDS.map((id) => {
      const spec = EMBEDDER_SPECS[id];
      const rows = results.filter((r) => r.embedder === id && r.flipTta === spec.flipTta);
      return [
        id,
        {
          flipTta: spec.flipTta,
          metric: spec.metric,
          thresholds: Object.fromEntries(rows.map((r) => [r.metric, r.bestAccuracy.threshold])),
        },
      ];
    }),
  );

  const report = {
    command: 'npm run calibrate',
    backend: backend satisfies NodeBackend,
    tfjs: tf.version_core,
    dataset: {
      root: relative(projectRoot, alignedDir),
      people: folders.map((f) => ({ name: f.name, images: f.files.length })),
      pairs: pairCounts(labels),
    },
    results,
    recommendedDefaults: recommended,
    crossCheck: withBbt
      ? {
          note: 'bbt/: 8 people × 5 tight grayscale crops; landmarks from our MTCNN (20 px black padding) or the reference fixture (mean-landmark fallback for bernadette5, howard5); not used for calibration',
          results: crossCheck,
        }
      : null,
  };
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
