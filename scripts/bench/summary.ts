/**
 * Runs → the numbers the report shows, per backend and engine, and the FaceCheck ÷ peer ratios
 * (times: below 1 means FaceCheck is faster; the target is ≤ 0.5 against face-api SSD).
 */
import type {
  BackendName,
  EnvironmentReport,
  PeerEngineName,
  PhotoEngineName,
} from '../../bench/protocol.ts';
import type { BackendRuns } from './browser-bench.ts';
import type { RunReport } from './browser-run.ts';
import { keyMedians, median, p90, round } from './stats.ts';
import type { HeapUsage } from './worker-heap.ts';

type Num = number | null;

export interface EngineSummary {
  readonly engine: PhotoEngineName;
  readonly runs: number;
  readonly photosPerPass: number;
  /** Navigation start → models ready: round 1 (empty HTTP cache) and the median of later rounds. */
  readonly coldStartMs: { readonly emptyCache: Num; readonly fromCache: Num };
  /** Inside the worker, round 1: backend init, then model fetch + decode + upload, per model. */
  readonly workerInit: {
    readonly backendMs: Num;
    readonly modelsMs: Num;
    readonly modelLoadMs: Record<string, Num>;
  };
  /**
   * FaceCheck's warm-up pass after ready (src/pipeline/warm-up.ts, WASM only; null otherwise and for
   * engines without one); median over runs.
   */
  readonly warmUpMs: Num;
  /** Ready → settled (background loads and warm-up), page clock; median over runs. */
  readonly readyToSettledMs: Num;
  /**
   * The first photo, sent once the engine has settled → its result: the first inference with what a
   * warm-up does not cover (for FaceCheck: this photo's own sizes); median over runs.
   */
  readonly firstResultMs: Num;
  /** Round 1: navigation → first result (cold start + settling + first result). */
  readonly timeToFirstResultMs: Num;
  /** End to end per photo in the worker (bytes → embeddings on the host), steady passes pooled. */
  readonly perPhotoMs: { readonly median: Num; readonly p90: Num };
  /**
   * The same over first-sight passes (each photo new to the page; null with one pass). On WebGL the
   * difference to perPhotoMs is mostly shader compilation for new shapes.
   */
  readonly firstSightPerPhotoMs: { readonly median: Num; readonly p90: Num } | null;
  /**
   * Per photo folder (groups, people, bbt): steady per-photo median and faces per pass. The folders
   * differ in kind — group shots, 1–2 MP portraits, 150 px crops — and costs scale differently.
   */
  readonly perCategory: Record<
    string,
    { readonly photos: number; readonly medianMs: Num; readonly faces: number }
  >;
  /** Per-stage medians over every photo of every steady pass, in pipeline order. */
  readonly stageMedianMs: Record<string, Num>;
  /** Each stage's share of all steady-pass time (sums to 1): where the time goes. */
  readonly stageShare: Record<string, Num>;
  /** Medians of the per-photo counts (FaceCheck: pyramid levels, candidates after each stage). */
  readonly countMedians: Record<string, Num>;
  /** Photos ÷ steady-pass wall time (page clock); median over runs. */
  readonly photosPerSecond: Num;
  /** Faces found in one pass over the set (last run). */
  readonly facesPerPass: number;
  /** XNNPACK threads tfjs-wasm ran with (last run); null off WASM. */
  readonly wasmThreads: number | null;
  /** FaceCheck on WASM/CPU: whether its second engine ran beside it (docs/offload.md). */
  readonly secondEngine: boolean;
  readonly memory: {
    /** Once settled: every model loaded, no photo yet. */
    readonly tensorsBefore: number;
    /** After the first photo, with every model loaded. */
    readonly tensorsWarm: number;
    readonly tensorsAfter: number;
    /** Largest tensor-count growth from the first photo (every model loaded) to the end of the passes, any run (0 = no leak). */
    readonly maxTensorGrowth: number;
    /**
     * Worker JS heap after GC: models ready, after the first photo (warm), after the first pass
     * over all photos (steady; null with one pass), after the last pass.
     */
    readonly heapBeforeMB: Num;
    readonly heapWarmMB: Num;
    readonly heapSteadyMB: Num;
    readonly heapAfterMB: Num;
    /** Of the heap, V8's compiled code (from a heap snapshot): models ready, after the last pass. */
    readonly heapCodeBeforeMB: Num;
    readonly heapCodeAfterMB: Num;
    /**
     * Largest relative JS-heap growth over the batch, any run (after GC): from the first pass's end
     * (every photo size seen once) to the last pass's end, or from the first photo with one pass.
     */
    readonly maxHeapGrowth: Num;
    /** The same for the heap's objects, i.e. without V8's compiled code (worker-heap.ts says why). */
    readonly maxObjectHeapGrowth: Num;
    /** Photos analysed between the two snapshots maxHeapGrowth compares (last run). */
    readonly heapGrowthPhotos: number;
    readonly wasmHeapBeforeMB: Num;
    readonly wasmHeapAfterMB: Num;
    readonly gpuTexturesBeforeMB: Num;
    readonly gpuTexturesAfterMB: Num;
    readonly webglProgramsBefore: Num;
    readonly webglProgramsWarm: Num;
    readonly webglProgramsAfter: Num;
  };
  readonly perRound: readonly {
    readonly round: number;
    readonly coldStartMs: Num;
    readonly perPhotoMedianMs: Num;
    readonly photosPerSecond: Num;
  }[];
}

export interface PeerRatio {
  /** FaceCheck per-photo median ÷ peer per-photo median. */
  readonly perPhotoMedian: Num;
  readonly perPhotoP90: Num;
  /** Peer photos/s ÷ FaceCheck photos/s (a time ratio like the others). */
  readonly throughput: Num;
  readonly coldStartFromCache: Num;
  readonly firstResult: Num;
  /** FaceCheck ÷ peer per-photo median within each photo folder. */
  readonly perCategory: Record<string, Num>;
  /** The per-photo median ratio of each round's adjacent runs: how stable the ratio is. */
  readonly perRound: readonly Num[];
}

export interface BackendSummary {
  readonly backend: BackendName;
  readonly environment: (EnvironmentReport & { readonly note: string | null }) | null;
  readonly engines: Partial<Record<PhotoEngineName, EngineSummary>>;
  readonly ratios: Partial<Record<PeerEngineName, PeerRatio>>;
  readonly foreignRequests: readonly string[];
  readonly pageErrors: readonly string[];
  readonly errors: readonly string[];
}

const mb = (bytes: number | null) => (bytes === null ? null : round(bytes / 2 ** 20));
const r1 = (v: number) => round(v, 1);
const r2 = (v: number) => round(v, 2);
const ratio = (a: Num, b: Num) => (a === null || b === null || b === 0 ? null : r2(a / b));
const categoryOf = (name: string) => name.split('/')[0] ?? name;
const photosPerSecond = (run: RunReport) => run.pass.photos.length / (run.pass.wallMs / 1000);

function stageOrder(runs: readonly RunReport[]): string[] {
  const order: string[] = [];
  for (const photo of runs.flatMap((r) => r.pass.photos)) {
    for (const stage of Object.keys(photo.stages)) if (!order.includes(stage)) order.push(stage);
  }
  return order;
}

function summariseEngine(engine: PhotoEngineName, runs: readonly RunReport[]): EngineSummary {
  const photos = runs.flatMap((r) => r.pass.photos);
  const firstSight = runs.flatMap((r) => r.firstSight?.photos ?? []);
  const first = runs.find((r) => r.round === 1) ?? (runs[0] as RunReport);
  const later = runs.filter((r) => r.round > 1);
  const last = runs[runs.length - 1] as RunReport;
  const stages = stageOrder(runs);
  const stageMedians = keyMedians(photos.map((p) => p.stages));
  const totalTime = photos.reduce((n, p) => n + p.totalMs, 0);
  const stageShare = Object.fromEntries(
    stages.map((s) => [
      s,
      totalTime > 0 ? r2(photos.reduce((n, p) => n + (p.stages[s] ?? 0), 0) / totalTime) : null,
    ]),
  );
  const heapGrowth = (run: RunReport, bytes: (heap: HeapUsage) => number) => {
    const base = bytes((run.steady ?? run.warm).heap);
    return (bytes(run.after.heap) - base) / base;
  };
  const growth = (run: RunReport) => heapGrowth(run, (heap) => heap.usedBytes);
  const objectGrowth = (run: RunReport) => heapGrowth(run, (heap) => heap.usedBytes - heap.codeBytes);
  const photosPerPassRun = last.pass.photos.length;
  const heapGrowthPhotos =
    last.steady === null ? photosPerPassRun * last.passes : photosPerPassRun * (last.passes - 1);
  return {
    engine,
    runs: runs.length,
    photosPerPass: last.pass.photos.length,
    coldStartMs: {
      emptyCache: r1(first.ready.coldStartMs),
      fromCache: later.length === 0 ? null : r1(median(later.map((r) => r.ready.coldStartMs))),
    },
    workerInit: {
      backendMs: r1(first.ready.backendMs),
      modelsMs: r1(first.ready.modelsMs),
      modelLoadMs: Object.fromEntries(Object.entries(first.ready.modelLoadMs).map(([k, v]) => [k, r1(v)])),
    },
    warmUpMs: runs.every((r) => r.settled.warmUpMs === null)
      ? null
      : r1(median(runs.map((r) => r.settled.warmUpMs ?? Number.NaN))),
    readyToSettledMs: r1(median(runs.map((r) => r.settled.readyToSettledMs))),
    firstResultMs: r1(median(runs.map((r) => r.first.roundTripMs))),
    timeToFirstResultMs: r1(
      first.ready.coldStartMs + first.settled.readyToSettledMs + first.first.roundTripMs,
    ),
    perPhotoMs: {
      median: r1(median(photos.map((p) => p.totalMs))),
      p90: r1(p90(photos.map((p) => p.totalMs))),
    },
    perCategory: Object.fromEntries(
      [...new Set(photos.map((p) => categoryOf(p.name)))].map((category) => {
        const inCategory = photos.filter((p) => categoryOf(p.name) === category);
        const lastPass = last.pass.photos.filter((p) => categoryOf(p.name) === category);
        return [
          category,
          {
            photos: lastPass.length,
            medianMs: r1(median(inCategory.map((p) => p.totalMs))),
            faces: lastPass.reduce((n, p) => n + p.faces, 0),
          },
        ];
      }),
    ),
    firstSightPerPhotoMs:
      firstSight.length === 0
        ? null
        : {
            median: r1(median(firstSight.map((p) => p.totalMs))),
            p90: r1(p90(firstSight.map((p) => p.totalMs))),
          },
    stageMedianMs: Object.fromEntries(stages.map((s) => [s, r1(stageMedians[s] ?? Number.NaN)])),
    stageShare,
    countMedians: Object.fromEntries(
      Object.entries(keyMedians(photos.map((p) => p.counts))).map(([k, v]) => [k, r1(v)]),
    ),
    photosPerSecond: r2(median(runs.map(photosPerSecond))),
    facesPerPass: last.pass.photos.reduce((n, p) => n + p.faces, 0),
    wasmThreads: last.ready.env.wasm?.threads ?? null,
    secondEngine: last.after.tf.secondEngineTensors !== null,
    memory: {
      tensorsBefore: last.before.tf.numTensors,
      tensorsWarm: last.warm.tf.numTensors,
      tensorsAfter: last.after.tf.numTensors,
      maxTensorGrowth: Math.max(...runs.map((r) => r.after.tf.numTensors - r.warm.tf.numTensors)),
      heapBeforeMB: mb(last.before.heap.usedBytes),
      heapWarmMB: mb(last.warm.heap.usedBytes),
      heapSteadyMB: last.steady === null ? null : mb(last.steady.heap.usedBytes),
      heapAfterMB: mb(last.after.heap.usedBytes),
      heapCodeBeforeMB: mb(last.before.heap.codeBytes),
      heapCodeAfterMB: mb(last.after.heap.codeBytes),
      maxHeapGrowth: r2(Math.max(...runs.map(growth))),
      maxObjectHeapGrowth: r2(Math.max(...runs.map(objectGrowth))),
      heapGrowthPhotos,
      wasmHeapBeforeMB: mb(last.before.tf.wasmHeapBytes),
      wasmHeapAfterMB: mb(last.after.tf.wasmHeapBytes),
      gpuTexturesBeforeMB: mb(last.before.tf.gpuTextureBytes),
      gpuTexturesAfterMB: mb(last.after.tf.gpuTextureBytes),
      webglProgramsBefore: last.before.tf.webglPrograms,
      webglProgramsWarm: last.warm.tf.webglPrograms,
      webglProgramsAfter: last.after.tf.webglPrograms,
    },
    perRound: runs.map((r) => ({
      round: r.round,
      coldStartMs: r1(r.ready.coldStartMs),
      perPhotoMedianMs: r1(median(r.pass.photos.map((p) => p.totalMs))),
      photosPerSecond: r2(photosPerSecond(r)),
    })),
  };
}

function peerRatio(fc: EngineSummary, peer: EngineSummary): PeerRatio {
  const peerRounds = new Map(peer.perRound.map((r) => [r.round, r.perPhotoMedianMs]));
  return {
    perPhotoMedian: ratio(fc.perPhotoMs.median, peer.perPhotoMs.median),
    perPhotoP90: ratio(fc.perPhotoMs.p90, peer.perPhotoMs.p90),
    throughput: ratio(peer.photosPerSecond, fc.photosPerSecond),
    coldStartFromCache: ratio(fc.coldStartMs.fromCache, peer.coldStartMs.fromCache),
    firstResult: ratio(fc.firstResultMs, peer.firstResultMs),
    perCategory: Object.fromEntries(
      Object.entries(fc.perCategory).map(([category, c]) => [
        category,
        ratio(c.medianMs, peer.perCategory[category]?.medianMs ?? null),
      ]),
    ),
    perRound: fc.perRound.map((r) => ratio(r.perPhotoMedianMs, peerRounds.get(r.round) ?? null)),
  };
}

function environmentOf(runs: readonly RunReport[]): BackendSummary['environment'] {
  const env = runs[0]?.ready.env;
  if (env === undefined) return null;
  const note =
    env.backend === 'webgl' && env.isSoftwareRenderer
      ? `WebGL here is ${env.renderer ?? 'a software renderer'}: a CPU emulation of a GPU (SwiftShader), not GPU numbers`
      : null;
  return { ...env, note };
}

export function summariseBackend({ backend, runs, errors }: BackendRuns): BackendSummary {
  const engines: Partial<Record<PhotoEngineName, EngineSummary>> = {};
  for (const engine of [...new Set(runs.map((r) => r.engine))]) {
    engines[engine] = summariseEngine(
      engine,
      runs.filter((r) => r.engine === engine),
    );
  }
  const ratios: Partial<Record<PeerEngineName, PeerRatio>> = {};
  const fc = engines.facecheck;
  for (const peer of ['faceapi-ssd', 'faceapi-tiny'] as const) {
    const summary = engines[peer];
    if (fc !== undefined && summary !== undefined) ratios[peer] = peerRatio(fc, summary);
  }
  return {
    backend,
    environment: environmentOf(runs),
    engines,
    ratios,
    foreignRequests: [...new Set(runs.flatMap((r) => r.foreignRequests))],
    pageErrors: [...new Set(runs.flatMap((r) => r.pageErrors))],
    errors,
  };
}
