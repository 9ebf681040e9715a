/**
 * Gallery search benchmark: top-k cosine neighbours of probe embeddings among N random 192-d unit
 * embeddings, on whatever tfjs backend is active (browser worker or Node). Two variants:
 *
 * - app: `nearestNeighbours` from src/pipeline/distance.ts, as identification runs today: gallery
 *   rows on the host are uploaded, both sides normalised, one matMul, topk, one read — per call;
 * - resident: `createGalleryIndex` (src/pipeline/gallery-index.ts): the gallery uploaded and
 *   normalised once; per call only the probe upload, one matMul, topk and one read.
 *
 * Each probe is a slightly perturbed copy of a known gallery row, so the answer is checkable.
 */
import { nearestNeighbours } from '../src/pipeline/distance.ts';
import { createGalleryIndex } from '../src/pipeline/gallery-index.ts';
import type { GalleryBenchOptions, GalleryReport, GalleryRow } from './protocol.ts';
import { randomUnitRows, rowView } from './random-embeddings.ts';

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** Median and p90 of per-call milliseconds divided by probes per call. */
function perProbe(callMs: readonly number[], probes: number) {
  const sorted = [...callMs].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5) / probes, p90: quantile(sorted, 0.9) / probes };
}

/** Times `search` (one untimed warm-up, then `repeats` calls); also checks every answer. */
async function timeSearch(
  search: () => Promise<number[]>,
  expected: readonly number[],
  repeats: number,
): Promise<{ ms: number[]; correct: boolean }> {
  const check = (found: number[]) =>
    found.length === expected.length && found.every((f, i) => f === expected[i]);
  let correct = check(await search());
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    const found = await search();
    ms.push(performance.now() - started);
    correct &&= check(found);
  }
  return { ms, correct };
}

async function benchmarkSize(
  size: number,
  options: GalleryBenchOptions,
  probeSeed: number,
): Promise<GalleryRow> {
  const { dim, k, probes, repeats } = options;
  const gallery = randomUnitRows(size, dim, options.seed + size);
  // Probe i = gallery row targets[i] plus small noise: its nearest neighbour must be that row.
  const noise = randomUnitRows(probes, dim, probeSeed);
  const targets = Array.from({ length: probes }, (_, i) => Math.floor(((i + 0.5) * size) / probes));
  const probeRows = targets.map((t, i) => {
    const p = Float32Array.from(rowView(gallery, dim, t));
    const n = rowView(noise, dim, i);
    for (let j = 0; j < dim; j++) p[j] = (p[j] as number) + 0.05 * (n[j] as number);
    return p;
  });
  const galleryRows = Array.from({ length: size }, (_, i) => rowView(gallery, dim, i));

  const app = await timeSearch(
    async () =>
      (await nearestNeighbours(probeRows, galleryRows, 'cosine', k)).map((row) => row[0]?.index ?? -1),
    targets,
    repeats,
  );

  // Resident: the pipeline's gallery index (uploaded and normalised once, kept on the backend).
  const index = createGalleryIndex(galleryRows, 'cosine');
  let resident: { ms: number[]; correct: boolean };
  try {
    resident = await timeSearch(
      async () => (await index.search(probeRows, k)).map((row) => row[0]?.index ?? -1),
      targets,
      repeats,
    );
  } finally {
    index.dispose();
  }
  return {
    size,
    appMsPerProbe: perProbe(app.ms, probes),
    residentMsPerProbe: perProbe(resident.ms, probes),
    repeats,
    correct: app.correct && resident.correct,
  };
}

/** Runs every size on the active backend; leaves no tensor behind. */
export async function runGalleryBenchmark(
  options: GalleryBenchOptions,
): Promise<Omit<GalleryReport, 'backend'>> {
  const rows: GalleryRow[] = [];
  for (const size of options.sizes) rows.push(await benchmarkSize(size, options, options.seed * 7919 + 1));
  return { options, rows };
}
