/**
 * The contract between the benchmark runner (scripts/bench, Node + Playwright), the bench page
 * (bench/main.ts) and its worker (bench/bench-worker.ts). Types and pure helpers only, so every side
 * can import it without pulling in tfjs or the DOM.
 */
import type { BackendName } from '../src/worker/api.ts';

export type { BackendName } from '../src/worker/api.ts';

/** What one page load runs: FaceCheck's pipeline, a face-api pipeline, or only the gallery search. */
export const ENGINES = ['facecheck', 'faceapi-ssd', 'faceapi-tiny', 'gallery'] as const;
export type EngineName = (typeof ENGINES)[number];
/** The engines that analyse photos (everything but the gallery-only page). */
export type PhotoEngineName = Exclude<EngineName, 'gallery'>;
export type PeerEngineName = Exclude<PhotoEngineName, 'facecheck'>;

export const isEngineName = (value: unknown): value is EngineName =>
  typeof value === 'string' && (ENGINES as readonly string[]).includes(value);

/** Everything a page load is told through its URL. */
export interface BenchParams {
  readonly engine: EngineName;
  readonly backend: BackendName;
  /**
   * FaceCheck only: true times each stage by running the pipeline's exported stage functions one by
   * one (bench/facecheck-staged.ts); false runs the app's own detect → embedDetectedFaces calls and
   * reports only detect and align+embed.
   */
  readonly stages: boolean;
  /** WASM threads to ask tfjs for (setThreadsCount); null keeps tfjs's default (half the cores). */
  readonly wasmThreads: number | null;
  /**
   * FaceCheck only: start the second engine on the other core as the app does (docs/offload.md);
   * false runs everything in one engine, to measure what it brings.
   */
  readonly secondEngine: boolean;
  /**
   * FaceCheck only: detector settings to try instead of the app's defaults (DEFAULT_DETECTOR_CONFIG),
   * to measure a lever before changing the pipeline. Null = default.
   */
  readonly detector: DetectorLevers;
}

/** Detector settings under test (DetectorConfig fields; validated by the detector). */
export interface DetectorLevers {
  readonly maxDetectionSide: number | null;
  readonly minFaceSize: number | null;
  readonly minFaceFraction: number | null;
  readonly maxProposals: number | null;
}

export const LEVER_KEYS = ['maxDetectionSide', 'minFaceSize', 'minFaceFraction', 'maxProposals'] as const;

export const DEFAULT_LEVERS: DetectorLevers = Object.freeze({
  maxDetectionSide: null,
  minFaceSize: null,
  minFaceFraction: null,
  maxProposals: null,
});

/** A lever's text (flag or query value) as a number: any number or "Infinity"; range checks come later. */
export function parseLever(name: string, text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}

export function paramsToQuery(params: BenchParams): string {
  const query = new URLSearchParams({
    engine: params.engine,
    backend: params.backend,
    stages: params.stages ? '1' : '0',
  });
  if (!params.secondEngine) query.set('secondEngine', '0');
  if (params.wasmThreads !== null) query.set('wasmThreads', String(params.wasmThreads));
  for (const key of LEVER_KEYS) {
    const value = params.detector[key];
    if (value !== null) query.set(key, String(value));
  }
  return query.toString();
}

/** The inverse of paramsToQuery; throws on anything it does not recognise. */
export function paramsFromQuery(search: string, isBackend: (v: unknown) => v is BackendName): BenchParams {
  const query = new URLSearchParams(search);
  const engine = query.get('engine');
  const backend = query.get('backend');
  if (!isEngineName(engine)) throw new Error(`bench page: unknown ?engine=${String(engine)}`);
  if (!isBackend(backend)) throw new Error(`bench page: unknown ?backend=${String(backend)}`);
  const positive = (key: string): number | null => {
    const text = query.get(key);
    if (text === null) return null;
    const value = Number(text);
    if (!(Number.isInteger(value) && value >= 1))
      throw new Error(`bench page: ?${key} must be an integer ≥ 1, got ${text}`);
    return value;
  };
  return {
    engine,
    backend,
    stages: query.get('stages') !== '0',
    wasmThreads: positive('wasmThreads'),
    secondEngine: query.get('secondEngine') !== '0',
    detector: {
      maxDetectionSide: parseLever('maxDetectionSide', query.get('maxDetectionSide')),
      minFaceSize: parseLever('minFaceSize', query.get('minFaceSize')),
      minFaceFraction: parseLever('minFaceFraction', query.get('minFaceFraction')),
      maxProposals: parseLever('maxProposals', query.get('maxProposals')),
    },
  };
}

/** Where the backend ended up and what it runs on. */
export interface EnvironmentReport {
  readonly backend: BackendName;
  /** GL renderer string (UNMASKED_RENDERER_WEBGL); null when WebGL was not probed. */
  readonly renderer: string | null;
  /** True for CPU-emulated GL such as SwiftShader: "WebGL" numbers are then CPU numbers. */
  readonly isSoftwareRenderer: boolean;
  readonly wasm: { readonly simd: boolean; readonly threads: number } | null;
  /** COOP + COEP in effect: SharedArrayBuffer, hence WASM threads, is available. */
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  readonly tfjsVersion: string;
  readonly userAgent: string;
}

/** Milliseconds inside the worker from `init` to models ready. */
export interface WorkerInitReport {
  readonly env: EnvironmentReport;
  readonly backendMs: number;
  readonly modelsMs: number;
  /** Per model (FaceCheck: as the app's model store reports; peer: per face-api net). */
  readonly modelLoadMs: Readonly<Record<string, number>>;
}

export interface ReadyReport extends WorkerInitReport {
  /** Navigation start → models ready, on the page's clock. */
  readonly coldStartMs: number;
}

/** Counts that explain a photo's time (FaceCheck: candidates per cascade stage). */
export type PhotoCounts = Readonly<Record<string, number>>;

export interface PhotoTiming {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly faces: number;
  /** Bytes received in the worker → results (embeddings, crops) on the host. */
  readonly totalMs: number;
  /** Milliseconds per stage, in pipeline order; they add up to totalMs within timer resolution. */
  readonly stages: Readonly<Record<string, number>>;
  readonly counts: PhotoCounts;
}

/** What `tf.memory()` says, plus the WASM heap size (it only ever grows). */
export interface TfMemoryReport {
  /** Live tensors in the engine, its second engine's included (FaceCheck on WASM/CPU, docs/offload.md). */
  readonly numTensors: number;
  /** Of which in the second engine; null when the engine has none. */
  readonly secondEngineTensors: number | null;
  readonly numBytes: number;
  readonly numDataBuffers: number;
  /** Size of the WASM module's linear memory; null off WASM. */
  readonly wasmHeapBytes: number | null;
  /** Bytes of WebGL textures allocated, in use or pooled for reuse; null off WebGL. */
  readonly gpuTextureBytes: number | null;
  /** Compiled WebGL programs tfjs keeps (src/worker/webgl-programs.ts); null off WebGL. */
  readonly webglPrograms: number | null;
}

export interface PassReport {
  readonly photos: readonly PhotoTiming[];
  /** Page clock, first send → last result. */
  readonly wallMs: number;
}

export interface GalleryBenchOptions {
  /** Gallery sizes (embeddings). */
  readonly sizes: readonly number[];
  readonly dim: number;
  readonly k: number;
  /** Probes per search call; ms per probe = call time / probes. */
  readonly probes: number;
  /** Timed searches per size and variant (after one untimed warm-up). */
  readonly repeats: number;
  readonly seed: number;
}

export const DEFAULT_GALLERY_OPTIONS: GalleryBenchOptions = Object.freeze({
  sizes: Object.freeze([1_000, 10_000, 100_000]),
  dim: 192,
  k: 5,
  probes: 1,
  repeats: 10,
  seed: 8,
});

export interface GalleryRow {
  readonly size: number;
  /** The app's `nearestNeighbours` (host rows → upload → normalise → one matMul → topk → read). */
  readonly appMsPerProbe: { readonly median: number; readonly p90: number };
  /** Gallery already on the device and unit-normalised: one matMul + topk + read. */
  readonly residentMsPerProbe: { readonly median: number; readonly p90: number };
  readonly repeats: number;
  /** Every probe (a perturbed copy of a known gallery row) found its row first, in both variants. */
  readonly correct: boolean;
}

export interface GalleryReport {
  readonly backend: BackendName;
  readonly options: GalleryBenchOptions;
  readonly rows: readonly GalleryRow[];
}

/** What an engine did between ready and settled (PhotoEngine.settled). */
export interface EngineSettled {
  /** FaceCheck's warm-up pass, in the worker; null for an engine without one. */
  readonly warmUpMs: number | null;
}

/** EngineSettled, with the page's time from ready to settled. */
export interface SettledReport extends EngineSettled {
  readonly readyToSettledMs: number;
}

/** The bench worker's API (comlink). */
export interface BenchWorkerApi {
  init(params: BenchParams): Promise<WorkerInitReport>;
  /** One photo's bytes (transferred) → its timings. Photos run one at a time. */
  analyze(name: string, bytes: ArrayBuffer): Promise<PhotoTiming>;
  /** Resolves once the engine has settled after ready (see PhotoEngine.settled). */
  settled(): Promise<EngineSettled>;
  memory(): Promise<TfMemoryReport>;
  gallery(options: GalleryBenchOptions): Promise<GalleryReport>;
}

/** `window.__bench`: what the runner drives with page.evaluate. */
export interface BenchPageApi {
  /** Resolves once the engine chosen by the URL is ready (it starts on page load). */
  ready(): Promise<ReadyReport>;
  /** Fetches the photos from the bench server into page memory (untimed); returns how many. */
  fetchPhotos(urls: readonly string[]): Promise<number>;
  /** Analyses fetched photo `index` and reports it, with the page-side round trip. */
  analyze(index: number): Promise<{ readonly timing: PhotoTiming; readonly roundTripMs: number }>;
  /** Analyses every fetched photo in order, one at a time. */
  pass(): Promise<PassReport>;
  /** Resolves once the engine has settled after ready (PhotoEngine.settled). */
  settled(): Promise<SettledReport>;
  memory(): Promise<TfMemoryReport>;
  gallery(options: GalleryBenchOptions): Promise<GalleryReport>;
}

declare global {
  interface Window {
    __bench?: BenchPageApi;
  }
}
