// A converted keras-vggface model as standard tfjs artifacts: `model.json` (what the model is, plus a tfjs
// `weightsManifest`) and one `weights.bin`. The CLI writes them under public/models/<id>/, the browser keeps
// them in IndexedDB; both read them back through `fromVggfaceArtifacts`, which trusts nothing it is given.
// Pure: no fs, no DOM, no tensors (the bin is built and read on the host, so a 94 MB model is never uploaded
// just to be serialised). tfjs's own `io.decodeWeights` reads the same files (the tests check that).
import type * as tf from '@tensorflow/tfjs-core';
import type { ImportedEmbedderId } from '../../../models/embedders.ts';
import {
  ARCHITECTURE_FACTS,
  VGGFACE_ARCHITECTURES,
  VGGFACE_INPUT_SIZE,
  type VggfaceArchitecture,
  type WeightTensor,
  weightedLayers,
} from './architectures';
import { VGGFACE_MODELS, type VggfaceModelFacts } from './facts';
import { fromFloat16Bits, toFloat16Bits } from './float16';
import { type VggfaceH5Weights, VggfaceImportError } from './h5-weights';

export const VGGFACE_ARTIFACT_FORMAT = 'facecheck-vggface';
export const VGGFACE_ARTIFACT_FORMAT_VERSION = 1;
/** File names inside a model's folder (public/models/<id>/). */
export const VGGFACE_MANIFEST_FILE = 'model.json';
export const VGGFACE_WEIGHTS_FILE = 'weights.bin';

/** float16 halves the size; the embedding moves by ~1e-3 relative L2 (docs/vggface.md, measured). */
export type WeightStorage = 'float32' | 'float16';

export interface VggfaceArtifactManifest {
  readonly format: typeof VGGFACE_ARTIFACT_FORMAT;
  readonly formatVersion: typeof VGGFACE_ARTIFACT_FORMAT_VERSION;
  readonly id: ImportedEmbedderId;
  readonly label: string;
  readonly architecture: VggfaceArchitecture;
  readonly storage: WeightStorage;
  /** Base name of the .h5 the user imported (shown in the app; never a path). */
  readonly sourceFile: string;
  readonly inputSize: number;
  readonly embeddingSize: number;
  /** Standard tfjs weights manifest: one group, one file, entries in Keras load order. */
  readonly weightsManifest: readonly [
    {
      readonly paths: readonly [typeof VGGFACE_WEIGHTS_FILE];
      readonly weights: tf.io.WeightsManifestEntry[];
    },
  ];
}

export interface VggfaceArtifacts {
  readonly manifest: VggfaceArtifactManifest;
  /** The whole weights.bin, owned by this object (transferable). */
  readonly weightData: ArrayBuffer;
}

/** Artifacts read back: what the model is, and its backbone weights ready for `loadVggface`. */
export interface ImportedVggface {
  readonly facts: VggfaceModelFacts;
  readonly storage: WeightStorage;
  readonly sourceFile: string;
  readonly weights: ReadonlyMap<string, WeightTensor>;
}

export interface ToArtifactsOptions {
  readonly storage?: WeightStorage;
  /** Any path or name; only its base name is kept. */
  readonly sourceFile: string;
}

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The weights the architecture loads, in order, keyed like WeightMap (`<layer>/<role>`). */
function expectedWeights(architecture: VggfaceArchitecture) {
  return weightedLayers(architecture).flatMap((layer) =>
    layer.weights.map((w) => ({ name: `${layer.name}/${w.role}`, shape: w.shape })),
  );
}

/** `readVggfaceH5`'s result → model.json + weights.bin. Does not keep references to the input arrays. */
export function toVggfaceArtifacts(source: VggfaceH5Weights, options: ToArtifactsOptions): VggfaceArtifacts {
  const storage = options.storage ?? 'float32';
  const facts = VGGFACE_MODELS[source.architecture];
  const expected = expectedWeights(source.architecture);
  const bytesPerValue = storage === 'float16' ? 2 : 4;
  const weightData = new ArrayBuffer(expected.reduce((n, w) => n + sizeOf(w.shape) * bytesPerValue, 0));
  const entries: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const { name, shape } of expected) {
    const weight = source.weights.get(name);
    if (weight === undefined || weight.values.length !== sizeOf(shape)) {
      throw new VggfaceImportError(
        'invalid-artifacts',
        `Cannot convert: weight ${name} is missing or mis-sized`,
      );
    }
    if (storage === 'float16')
      new Uint16Array(weightData, offset, weight.values.length).set(toFloat16Bits(weight.values));
    else new Float32Array(weightData, offset, weight.values.length).set(weight.values);
    offset += weight.values.length * bytesPerValue;
    entries.push({
      name,
      shape: [...shape],
      dtype: 'float32',
      ...(storage === 'float16' ? { quantization: { dtype: 'float16' as const } } : {}),
    });
  }
  return {
    manifest: {
      format: VGGFACE_ARTIFACT_FORMAT,
      formatVersion: VGGFACE_ARTIFACT_FORMAT_VERSION,
      id: facts.id,
      label: facts.label,
      architecture: facts.architecture,
      storage,
      sourceFile: baseName(options.sourceFile),
      inputSize: facts.inputSize,
      embeddingSize: facts.embeddingSize,
      weightsManifest: [{ paths: [VGGFACE_WEIGHTS_FILE], weights: entries }],
    },
    weightData,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading back: every field is checked, because the bytes come from a folder or a browser database that
// anything may have changed since the import.

const invalid = (detail: string) =>
  new VggfaceImportError('invalid-artifacts', `Imported model files are not valid: ${detail}`);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function isArchitecture(x: unknown): x is VggfaceArchitecture {
  return typeof x === 'string' && (VGGFACE_ARCHITECTURES as readonly string[]).includes(x);
}

/** model.json bytes or parsed JSON → a checked manifest (without looking at the weights). */
export function parseVggfaceManifest(input: unknown): VggfaceArtifactManifest {
  let json = input;
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    try {
      json = JSON.parse(new TextDecoder().decode(input as ArrayBuffer));
    } catch (error) {
      throw invalid(
        `${VGGFACE_MANIFEST_FILE} is not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  if (!isRecord(json)) throw invalid(`${VGGFACE_MANIFEST_FILE} is not an object`);
  if (json.format !== VGGFACE_ARTIFACT_FORMAT)
    throw invalid(`format is ${JSON.stringify(json.format)}, expected "${VGGFACE_ARTIFACT_FORMAT}"`);
  if (json.formatVersion !== VGGFACE_ARTIFACT_FORMAT_VERSION)
    throw invalid(`formatVersion ${JSON.stringify(json.formatVersion)} is not supported (expected 1)`);
  const { architecture, storage } = json;
  if (!isArchitecture(architecture)) throw invalid(`unknown architecture ${JSON.stringify(architecture)}`);
  const facts = VGGFACE_MODELS[architecture];
  if (json.id !== facts.id) throw invalid(`id ${JSON.stringify(json.id)} does not match ${architecture}`);
  if (storage !== 'float32' && storage !== 'float16')
    throw invalid(`unknown storage ${JSON.stringify(storage)}`);
  if (
    json.inputSize !== VGGFACE_INPUT_SIZE ||
    json.embeddingSize !== ARCHITECTURE_FACTS[architecture].embeddingSize
  )
    throw invalid('inputSize or embeddingSize differ from the architecture');
  const groups = json.weightsManifest;
  const group = Array.isArray(groups) && groups.length === 1 && isRecord(groups[0]) ? groups[0] : null;
  if (
    group === null ||
    !Array.isArray(group.paths) ||
    group.paths.length !== 1 ||
    group.paths[0] !== VGGFACE_WEIGHTS_FILE
  )
    throw invalid(`weightsManifest must be one group reading ${VGGFACE_WEIGHTS_FILE}`);
  const entries = Array.isArray(group.weights) ? (group.weights as unknown[]) : [];
  const expected = expectedWeights(architecture);
  if (entries.length !== expected.length)
    throw invalid(`${entries.length} weights listed, ${architecture} has ${expected.length}`);
  expected.forEach(({ name, shape }, i) => {
    const entry = entries[i];
    if (!isRecord(entry) || entry.name !== name)
      throw invalid(
        `weight ${i} is ${isRecord(entry) ? JSON.stringify(entry.name) : 'not an entry'}, expected ${name}`,
      );
    if (
      !Array.isArray(entry.shape) ||
      entry.shape.length !== shape.length ||
      entry.shape.some((d, j) => d !== shape[j])
    )
      throw invalid(`${name} has shape ${JSON.stringify(entry.shape)}, expected [${shape.join(', ')}]`);
    if (entry.dtype !== 'float32') throw invalid(`${name} has dtype ${JSON.stringify(entry.dtype)}`);
    const quantized = isRecord(entry.quantization) ? entry.quantization.dtype : undefined;
    if (quantized !== (storage === 'float16' ? 'float16' : undefined))
      throw invalid(`${name} is stored as ${quantized ?? 'float32'} in a ${storage} model`);
  });
  const sourceFile = typeof json.sourceFile === 'string' ? baseName(json.sourceFile) : '';
  return {
    format: VGGFACE_ARTIFACT_FORMAT,
    formatVersion: VGGFACE_ARTIFACT_FORMAT_VERSION,
    id: facts.id,
    label: facts.label,
    architecture,
    storage,
    sourceFile,
    inputSize: VGGFACE_INPUT_SIZE,
    embeddingSize: facts.embeddingSize,
    weightsManifest: [{ paths: [VGGFACE_WEIGHTS_FILE], weights: entries as tf.io.WeightsManifestEntry[] }],
  };
}

/** model.json + weights.bin → the model's facts and weights. float16 is expanded to float32 here. */
export function fromVggfaceArtifacts(manifestJson: unknown, weightData: ArrayBuffer): ImportedVggface {
  const manifest = parseVggfaceManifest(manifestJson);
  const bytesPerValue = manifest.storage === 'float16' ? 2 : 4;
  const expected = expectedWeights(manifest.architecture);
  const byteLength = expected.reduce((n, w) => n + sizeOf(w.shape) * bytesPerValue, 0);
  if (weightData.byteLength !== byteLength) {
    throw invalid(
      `${VGGFACE_WEIGHTS_FILE} has ${weightData.byteLength} bytes, the manifest needs ${byteLength} (truncated or replaced?)`,
    );
  }
  const weights = new Map<string, WeightTensor>();
  let offset = 0;
  for (const { name, shape } of expected) {
    const n = sizeOf(shape);
    const values =
      manifest.storage === 'float16'
        ? fromFloat16Bits(new Uint16Array(weightData, offset, n))
        : new Float32Array(weightData, offset, n);
    weights.set(name, { values, shape });
    offset += n * bytesPerValue;
  }
  return {
    facts: VGGFACE_MODELS[manifest.architecture],
    storage: manifest.storage,
    sourceFile: manifest.sourceFile,
    weights,
  };
}
