/**
 * The typed RPC contract between the page and the inference worker. Both sides import only types
 * and constants from here, so the page bundle never pulls in tfjs.
 */
import type { AnyEmbedderId } from '../models/embedders.ts';
import { MODEL_SPECS, type ModelId } from '../models/specs.ts';
import type { DetectedFace } from '../pipeline/mtcnn/index.ts';
import type { ImportedModelsApi } from './imported-models-api.ts';
import type { KioskApi } from './kiosk-analysis.ts';

/**
 * Every tfjs backend the engine registers. Unforced, it measures webgl against wasm (backend.ts);
 * cpu is the last resort.
 */
export const BACKEND_PREFERENCE = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_PREFERENCE as readonly string[]).includes(value);
}

/** Models converted to tfjs GraphModels, the only ones `runModel` can execute as-is. */
export type GraphModelId = {
  [Id in ModelId]: (typeof MODEL_SPECS)[Id]['format'] extends 'tflite-graph' ? Id : never;
}[ModelId];

export function isGraphModelId(id: string): id is GraphModelId {
  return Object.hasOwn(MODEL_SPECS, id) && MODEL_SPECS[id as ModelId].format === 'tflite-graph';
}

export interface InitOptions {
  /** Forces a backend (URL `?backend=` or the user's setting); the others remain fallbacks if it fails. */
  readonly backend?: BackendName;
  /** The choice an earlier measurement made on this device; measured again if it fails to start. */
  readonly remembered?: RememberedBackend;
  /** Absolute URL of the folder holding index.json and one sub-folder per model. */
  readonly modelsUrl: string;
}

export interface BackendFailure {
  readonly backend: BackendName;
  readonly reason: string;
}

/** One backend's score in the start-up measurement (src/worker/backend-probe.ts). */
export interface BackendProbe {
  readonly backend: BackendName;
  /** Best warm pass of the probe workload in ms; null when it did not start or missed the deadline. */
  readonly ms: number | null;
  /** First (compiling) pass in ms, or the time spent in it before giving up; null if it did not start. */
  readonly warmUpMs: number | null;
  /** True when the warm-up was abandoned at the deadline (e.g. emulated GL compiling shaders). */
  readonly gaveUp: boolean;
  /** Starting the backend (WASM compile, GL context) in ms: paid anyway by the chosen one. */
  readonly startMs: number;
  /** What measuring cost: backend start, warm-up (shader compiles) and the timed passes, in ms. */
  readonly costMs: number;
}

/**
 * How the backend was chosen: forced by the URL or the user, remembered from an earlier
 * measurement, measured now, or the CPU backend because nothing faster started.
 */
export type BackendSelection = 'forced' | 'remembered' | 'measured' | 'fallback';

/** What the page keeps (localStorage) after a measurement, to skip it on the next start. */
export interface RememberedBackend {
  readonly backend: BackendName;
  /** The GL renderer it was measured with: another GPU or driver is measured afresh. */
  readonly renderer: string | null;
  readonly probes: readonly BackendProbe[];
}

export interface BackendInfo {
  readonly backend: BackendName;
  readonly selection: BackendSelection;
  /** The measurement behind the choice (the remembered one when remembered); empty when forced. */
  readonly probes: readonly BackendProbe[];
  /** The backend asked for, when one was forced. */
  readonly requested: BackendName | null;
  /** Backends tried before `backend` and why each was skipped. */
  readonly failures: readonly BackendFailure[];
  /** UNMASKED_RENDERER_WEBGL (or RENDERER) of a WebGL2 context; null when WebGL was not tried. */
  readonly renderer: string | null;
  /** True for CPU-emulated GL (SwiftShader, llvmpipe…): reported only, the choice is measured. */
  readonly isSoftwareRenderer: boolean;
  /** WASM feature flags; null off WASM. */
  readonly wasm: { readonly simd: boolean; readonly threads: number } | null;
  /**
   * Whether a second engine runs beside this one on another core (docs/offload.md): on WASM and CPU
   * when the machine has a core to spare.
   */
  readonly secondEngine: boolean;
}

/** What choosing the backend decides (src/worker/backend.ts); the engine adds the rest. */
export type BackendChoice = Omit<BackendInfo, 'secondEngine'>;

export interface LoadedModelInfo {
  readonly id: ModelId;
  readonly title: string;
  /** Size of the model's artifacts as listed in index.json. */
  readonly bytes: number;
  /** Fetch + decode + weight upload, in milliseconds. */
  readonly loadMs: number;
}

export interface EngineStatus extends BackendInfo {
  readonly models: readonly LoadedModelInfo[];
  readonly tfjsVersion: string;
  /** Backend init plus all model loads, in milliseconds. */
  readonly initMs: number;
}

/** Streamed while `init` runs, so the page can show progress before it resolves. */
export type LoadProgress =
  | { readonly kind: 'backend'; readonly info: BackendInfo }
  | {
      readonly kind: 'index';
      readonly totalBytes: number;
      readonly bytesById: Readonly<Record<ModelId, number>>;
    }
  | { readonly kind: 'model-loading'; readonly id: ModelId; readonly title: string; readonly bytes: number }
  | { readonly kind: 'model-loaded'; readonly model: LoadedModelInfo }
  | { readonly kind: 'model-failed'; readonly id: ModelId; readonly title: string; readonly message: string };

/** A dense float32 tensor that crosses the worker boundary (its buffer is transferred). */
export interface TensorData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** One photo sent for analysis; `bytes` is transferred, so the sender's copy is detached. */
export interface PhotoInput {
  /** Shown in messages about the file; never used to decide its format. */
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export interface AnalyzePhotoOptions {
  readonly embedder: AnyEmbedderId;
}

/**
 * Why a photo produced no analysis. Input codes come from src/io/input-policy.ts (decided from the
 * bytes before decoding); `decode-failed` is a file the header check accepted but the browser's
 * decoder refused; `analysis-failed` an unexpected error in the models, reported for that photo only.
 */
export type PhotoProblemCode =
  | 'empty'
  | 'not-an-image'
  | 'unsupported-format'
  | 'truncated'
  | 'corrupt'
  | 'too-large-file'
  | 'too-many-pixels'
  | 'too-small'
  | 'unreadable'
  | 'decode-failed'
  | 'analysis-failed'
  | 'engine-not-ready';

export interface PhotoProblem {
  readonly code: PhotoProblemCode;
  /** Plain English for the photo's card; never contains the file name. */
  readonly message: string;
}

/** Where the worker is with one photo; streamed so the card can say what is happening. */
export type AnalysisStage = 'decoding' | 'detecting' | 'embedding';

export type FaceBox = readonly [x1: number, y1: number, x2: number, y2: number];
export type FacePoint = readonly [x: number, y: number];

/** The aligned crop the embedder saw, ready for `new ImageData(rgba, width, height)`. */
export interface FaceCrop {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

export interface AnalyzedFace {
  /** In the analysed image's pixels (see `PhotoAnalysis.width`); may reach past the border. */
  readonly box: FaceBox;
  /** Detector confidence in [0, 1]. */
  readonly score: number;
  /** Left eye, right eye, nose, mouth left, mouth right (image left first). */
  readonly landmarks: readonly FacePoint[];
  readonly embedding: Float32Array;
  readonly crop: FaceCrop;
}

/** Milliseconds spent in the worker on each step of one photo. */
export interface PhotoTimings {
  readonly decodeMs: number;
  readonly detectMs: number;
  readonly embedMs: number;
  readonly totalMs: number;
}

export type PhotoAnalysis =
  | {
      readonly ok: true;
      readonly embedder: AnyEmbedderId;
      /** Size of the analysed image: upright (EXIF applied) and downscaled per the input policy. */
      readonly width: number;
      readonly height: number;
      /** Largest face first. */
      readonly faces: readonly AnalyzedFace[];
      readonly timings: PhotoTimings;
    }
  | { readonly ok: false; readonly problem: PhotoProblem };

/**
 * What the worker holds right now, for leak checks (e2e/bad-input.spec.ts): tfjs tensors, and
 * decoded images (ImageBitmaps) alive and at most alive at once since the worker started.
 */
export interface WorkerMemory {
  /** The second engine (docs/offload.md); null when none was started (WebGL, one core). */
  readonly secondEngine: SecondEngineState | null;
  readonly tensors: number;
  readonly tensorBytes: number;
  readonly liveBitmaps: number;
  readonly maxLiveBitmaps: number;
  readonly decodedBitmaps: number;
}

/** What the second engine (docs/offload.md) is doing. */
export type SecondEngineState =
  /** Loading its copy of the nets; photos run on the main engine alone meanwhile. */
  | { readonly phase: 'starting' }
  | {
      readonly phase: 'running';
      /** The nets it runs. */
      readonly nets: readonly string[];
      /** Its live tensors (a leak there would not show in the main engine's count). */
      readonly tensors: number;
      /** Calls it has answered: pieces of photos it computed. */
      readonly answered: number;
    }
  /** For good: a call failed or timed out, its worker crashed, or it could not start. */
  | { readonly phase: 'stopped'; readonly reason: string; readonly answered: number };

/** The kiosk's camera calls live in ./kiosk-analysis.ts, the imported models' in ./imported-models-api.ts. */
export interface EngineApi extends KioskApi, ImportedModelsApi {
  /** Picks a backend and loads every model; idempotent (a second call returns the first result). */
  init(options: InitOptions, onProgress: (progress: LoadProgress) => void): Promise<EngineStatus>;
  /** Rejects until `init` has succeeded. */
  status(): Promise<EngineStatus>;
  /**
   * Holds the Web Lock `name` for the worker's whole life, so the page notices when it dies
   * (life-lock.ts). Resolves once held; false when the browser has no Web Locks.
   */
  holdLifeLock(name: string): Promise<boolean>;
  /** Calls `onLost` once if the WebGL context tfjs computes on is lost; false when not on WebGL. */
  watchGpu(onLost: () => void): Promise<boolean>;
  /** Test-only: loses the WebGL context (WEBGL_lose_context) as a GPU reset would; false off WebGL. */
  loseGpuContextForTest(): Promise<boolean>;
  /** Test-only: crashes the second engine's worker (docs/offload.md); false when there is none. */
  crashSecondEngineForTest(): Promise<boolean>;
  /**
   * Diagnostic: live counts, unlike `status` (fixed at start-up). Works before `init` too (tensor
   * counts are then those of whatever backend tfjs has, usually none).
   */
  memory(): Promise<WorkerMemory>;
  /** Diagnostic: executes a graph model on one input and returns the named outputs, in order. */
  runModel(id: GraphModelId, input: TensorData, outputs: readonly string[]): Promise<TensorData[]>;
  /**
   * Diagnostic (e2e/detector.spec.ts compares it with Node): decodes one photo as `analyzePhoto`
   * does and returns the detector's faces, default configuration, highest score first. Rejects for
   * a photo that cannot be decoded.
   */
  detectDiagnostic(photo: PhotoInput): Promise<DetectedFace[]>;
  /**
   * Decodes, detects, aligns and embeds one photo. Never rejects for a bad photo: every failure is a
   * `problem` for that photo. Photos are analysed one at a time in call order.
   */
  analyzePhoto(
    photo: PhotoInput,
    options: AnalyzePhotoOptions,
    onStage?: (stage: AnalysisStage) => void,
  ): Promise<PhotoAnalysis>;
}
