/** Command-line flags of `npm run bench` (scripts/bench/run.ts). */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type BackendName,
  DEFAULT_GALLERY_OPTIONS,
  type DetectorLevers,
  type PeerEngineName,
  parseLever,
} from '../../bench/protocol.ts';
import { PHOTO_CATEGORIES, type PhotoCategory, projectRoot } from './photos.ts';

export const BACKENDS: readonly BackendName[] = ['wasm', 'webgl', 'cpu'];
const PEERS: Readonly<Record<string, PeerEngineName>> = { ssd: 'faceapi-ssd', tiny: 'faceapi-tiny' };

export const USAGE = `npm run bench -- [flags]

  --backend wasm|webgl|cpu   backend(s) to run, repeatable or comma-separated (default: all three)
  --photos N                 first N photos of the interleaved set (default: all)
  --categories groups,people,bbt   photo folders to use (default: all three)
  --rounds N                 A B A B rounds per backend (default 2; round 1 starts with an empty cache)
  --passes N                 passes over the photos per page load (default 2: first sight, then steady)
  --skip-peer                FaceCheck only
  --peers ssd,tiny           face-api detectors to run as peers (default: both)
  --no-stages                time the app's own detect/embed calls instead of per-stage laps
  --wasm-threads N           run tfjs-wasm with N XNNPACK threads, past its half-the-cores cap (default: tfjs's choice)
  --peer-wasm-threads N      the same for face-api only (e.g. 2: both cores, as FaceCheck's two engines)
  --no-second-engine         FaceCheck in one engine (the app adds a second one on WASM/CPU)
  --max-detection-side N     FaceCheck lever: detect on photos downscaled to N px (Infinity: no cap)
  --min-face-size N          FaceCheck lever: smallest face (px of the detection image) the pyramid looks for
  --min-face-fraction F      FaceCheck lever: smallest face as a fraction of the longest side (0: off)
  --max-proposals N          FaceCheck lever: P-Net candidates passed to R-Net (Infinity: all)
                             (defaults: the app's DEFAULT_DETECTOR_CONFIG; see docs/detector.md)
  --skip-gallery             no browser gallery search benchmark
  --gallery-sizes a,b,c      gallery sizes (default ${DEFAULT_GALLERY_OPTIONS.sizes.join(',')})
  --gallery-repeats N        timed searches per size (default ${DEFAULT_GALLERY_OPTIONS.repeats})
  --skip-node                no Node (tfjs WASM) pipeline run
  --out-dir DIR              where the Markdown and JSON reports go (default bench-results)
  --build-dir DIR            use this bench build instead of building one (vite build -c bench/vite.config.ts)
  --help`;

export interface BenchOptions {
  readonly backends: readonly BackendName[];
  readonly photos: number | null;
  readonly categories: readonly PhotoCategory[];
  readonly rounds: number;
  readonly passes: number;
  readonly peers: readonly PeerEngineName[];
  readonly stages: boolean;
  readonly wasmThreads: number | null;
  /** XNNPACK threads for face-api's engines (null: as wasmThreads). */
  readonly peerWasmThreads: number | null;
  readonly secondEngine: boolean;
  readonly detector: DetectorLevers;
  readonly gallery: boolean;
  readonly gallerySizes: readonly number[];
  readonly galleryRepeats: number;
  readonly node: boolean;
  readonly outDir: string;
  readonly buildDir: string | null;
}

const list = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

function positiveInt(flag: string, value: string | undefined, fallback: number): number;
function positiveInt(flag: string, value: string | undefined, fallback: null): number | null;
function positiveInt(flag: string, value: string | undefined, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`${flag} must be an integer ≥ 1, got "${value}"`);
  return n;
}

function oneOf<T extends string>(flag: string, values: readonly string[], allowed: readonly T[]): T[] {
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v))
      throw new Error(`${flag}: "${v}" is not one of ${allowed.join(', ')}`);
  }
  return [...new Set(values)] as T[];
}

/** Parsed flags, or null when --help was asked for. Throws with a message on a bad flag. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      backend: { type: 'string', multiple: true },
      photos: { type: 'string' },
      categories: { type: 'string', multiple: true },
      rounds: { type: 'string' },
      passes: { type: 'string' },
      'skip-peer': { type: 'boolean', default: false },
      peers: { type: 'string', multiple: true },
      'no-stages': { type: 'boolean', default: false },
      'wasm-threads': { type: 'string' },
      'peer-wasm-threads': { type: 'string' },
      'no-second-engine': { type: 'boolean', default: false },
      'max-detection-side': { type: 'string' },
      'min-face-size': { type: 'string' },
      'min-face-fraction': { type: 'string' },
      'max-proposals': { type: 'string' },
      'skip-gallery': { type: 'boolean', default: false },
      'gallery-sizes': { type: 'string', multiple: true },
      'gallery-repeats': { type: 'string' },
      'skip-node': { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      'build-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const backends = list(values.backend);
  const categories = list(values.categories);
  const peers = list(values.peers);
  const sizes = list(values['gallery-sizes']);
  return {
    backends: backends.length === 0 ? BACKENDS : oneOf('--backend', backends, BACKENDS),
    photos: positiveInt('--photos', values.photos, null),
    categories:
      categories.length === 0 ? PHOTO_CATEGORIES : oneOf('--categories', categories, PHOTO_CATEGORIES),
    rounds: positiveInt('--rounds', values.rounds, 2),
    passes: positiveInt('--passes', values.passes, 2),
    peers: values['skip-peer']
      ? []
      : (peers.length === 0 ? Object.keys(PEERS) : oneOf('--peers', peers, Object.keys(PEERS))).map(
          (p) => PEERS[p] as PeerEngineName,
        ),
    stages: !values['no-stages'],
    wasmThreads: positiveInt('--wasm-threads', values['wasm-threads'], null),
    peerWasmThreads: positiveInt('--peer-wasm-threads', values['peer-wasm-threads'], null),
    secondEngine: !values['no-second-engine'],
    detector: {
      maxDetectionSide: parseLever('--max-detection-side', values['max-detection-side']),
      minFaceSize: parseLever('--min-face-size', values['min-face-size']),
      minFaceFraction: parseLever('--min-face-fraction', values['min-face-fraction']),
      maxProposals: parseLever('--max-proposals', values['max-proposals']),
    },
    gallery: !values['skip-gallery'],
    gallerySizes:
      sizes.length === 0
        ? DEFAULT_GALLERY_OPTIONS.sizes
        : sizes.map((s) => positiveInt('--gallery-sizes', s, 1)),
    galleryRepeats: positiveInt(
      '--gallery-repeats',
      values['gallery-repeats'],
      DEFAULT_GALLERY_OPTIONS.repeats,
    ),
    node: !values['skip-node'],
    outDir: resolve(projectRoot, values['out-dir'] ?? 'bench-results'),
    buildDir: values['build-dir'] === undefined ? null : resolve(values['build-dir']),
  };
}
