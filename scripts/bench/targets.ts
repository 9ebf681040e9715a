/**
 * Issue 8's targets, checked against the numbers of the same run. Informational: the benchmark
 * never fails on speed; a target the run could not measure is 'n/a' and says why.
 */
import type { GalleryReport } from '../../bench/protocol.ts';
import type { BackendSummary } from './summary.ts';

export type TargetStatus = 'PASS' | 'FAIL' | 'n/a';

export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly status: TargetStatus;
}

const status = (value: number | null | undefined, pass: (v: number) => boolean): TargetStatus =>
  value === null || value === undefined ? 'n/a' : pass(value) ? 'PASS' : 'FAIL';

const fmt = (value: number | null | undefined, unit = '') =>
  value === null || value === undefined ? 'not measured' : `${value}${unit}`;

function pipelineRatio(backends: readonly BackendSummary[], backend: 'wasm' | 'webgl'): TargetRow {
  const summary = backends.find((b) => b.backend === backend);
  const ratio = summary?.ratios['faceapi-ssd']?.perPhotoMedian;
  const fc = summary?.engines.facecheck?.perPhotoMs.median;
  const peer = summary?.engines['faceapi-ssd']?.perPhotoMs.median;
  return {
    target: `Full pipeline per photo ≤ 0.5 × face-api SSD (${backend === 'wasm' ? 'WASM' : 'WebGL'}, median)`,
    measured: ratio === null || ratio === undefined ? 'not measured' : `${ratio} × (${fc} ms vs ${peer} ms)`,
    status: status(ratio, (r) => r <= 0.5),
  };
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(0)} %`;

/** The largest measured value, or null when none was measured. */
function largest(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}

export function checkTargets(
  backends: readonly BackendSummary[],
  gallery: readonly GalleryReport[],
  photoCount: number,
): TargetRow[] {
  const wasm = backends.find((b) => b.backend === 'wasm')?.engines.facecheck;
  const facecheck = backends.flatMap((b) => (b.engines.facecheck === undefined ? [] : [b.engines.facecheck]));
  const tensorGrowth =
    facecheck.length === 0 ? null : Math.max(...facecheck.map((f) => f.memory.maxTensorGrowth));
  const heapGrowth = largest(facecheck.map((f) => f.memory.maxHeapGrowth));
  const objectHeapGrowth = largest(facecheck.map((f) => f.memory.maxObjectHeapGrowth));
  const heapPhotos = Math.min(...facecheck.map((f) => f.memory.heapGrowthPhotos));
  const big = gallery.flatMap((g) =>
    g.rows.filter((r) => r.size === 100_000).map((r) => ({ backend: g.backend, row: r })),
  );
  const best =
    big.length === 0
      ? null
      : big.reduce((a, b) => (b.row.residentMsPerProbe.median < a.row.residentMsPerProbe.median ? b : a));
  return [
    pipelineRatio(backends, 'wasm'),
    pipelineRatio(backends, 'webgl'),
    {
      target: 'Cold start to models ready ≤ 2 s from cache (WASM)',
      measured: fmt(wasm?.coldStartMs.fromCache, ' ms'),
      status: status(wasm?.coldStartMs.fromCache, (v) => v <= 2000),
    },
    {
      target: `Tensor count flat over a batch (here ${photoCount} photos, target 1,000)`,
      measured: tensorGrowth === null ? 'not measured' : `max growth ${tensorGrowth} tensors per pass`,
      status: status(tensorGrowth, (v) => v === 0),
    },
    {
      target: `JS heap flat within 10 % over a batch (here ${Number.isFinite(heapPhotos) ? heapPhotos : 0} photos, target 1,000; objects, V8's compiled code apart)`,
      measured:
        objectHeapGrowth === null || heapGrowth === null
          ? 'not measured'
          : `objects: max growth ${percent(objectHeapGrowth)}; with V8's compiled code ${percent(heapGrowth)} (after GC; from the end of the first pass when there are several)`,
      status: status(objectHeapGrowth, (v) => v <= 0.1),
    },
    {
      target:
        'Gallery top-5 over 100,000 embeddings ≤ 50 ms per probe (WASM or WebGL, pipeline GalleryIndex)',
      measured:
        best === null
          ? 'not measured'
          : `${best.row.residentMsPerProbe.median.toFixed(1)} ms on ${best.backend} with createGalleryIndex (per-call nearestNeighbours: ${best.row.appMsPerProbe.median.toFixed(1)} ms)`,
      status: status(best?.row.residentMsPerProbe.median, (v) => v <= 50),
    },
    {
      target: 'Backend auto-choice remembered, user override',
      measured: 'app behaviour, not measured by the benchmark',
      status: 'n/a',
    },
  ];
}
