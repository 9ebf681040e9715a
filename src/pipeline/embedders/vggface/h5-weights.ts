// Reader for the keras-vggface weight files (`rcmalli_vggface_tf_[notop_]{vgg16,resnet50,senet50}.h5`):
// Keras 2.x HDF5, either `model.save_weights` (layer groups at the root) or `model.save` (the same groups
// under `/model_weights`). It follows the root `layer_names` attribute and each layer's `weight_names`
// attribute exactly as written, the way keras/engine/saving.py does, and never lists child groups: a layer
// named `conv1/7x7_s2/bn` is a nested group, so `/conv1/7x7_s2` has the next layer as a child.
//
// Input is bytes, not a path: this runs in a Web Worker and in Node alike (no fs). HDF5 parsing is done by
// h5wasm (the HDF5 C library compiled to WebAssembly), loaded on first use because it is ~4 MB.
import {
  ARCHITECTURE_FACTS,
  type VggfaceArchitecture,
  type WeightTensor,
  weightedLayers,
} from './architectures';

export type VggfaceImportErrorCode =
  /** No HDF5 signature: not an .h5 file at all. */
  | 'not-hdf5'
  /** Shorter than the end-of-file address its own superblock records (an interrupted download). */
  | 'truncated'
  /** HDF5, but the library cannot open or read it. */
  | 'corrupt'
  /** HDF5 without Keras's `layer_names` (at the root or under `/model_weights`). */
  | 'not-keras-weights'
  /** Saved by the Theano backend, whose kernels are flipped. */
  | 'unsupported-backend'
  /** A Keras file, but its layer names are none of the three keras-vggface models. */
  | 'unknown-architecture'
  /** Recognised, but its weighted layers (names, order, count or weight list) differ from the model's. */
  | 'layer-mismatch'
  /** A dataset named in `weight_names` is not in the file. */
  | 'missing-weight'
  | 'shape-mismatch'
  | 'unsupported-dtype'
  /** Converted artifacts (model.json + weights.bin) that are not, or no longer, what the converter wrote. */
  | 'invalid-artifacts';

export class VggfaceImportError extends Error {
  readonly code: VggfaceImportErrorCode;

  constructor(code: VggfaceImportErrorCode, message: string) {
    super(message);
    this.name = 'VggfaceImportError';
    this.code = code;
  }
}

export interface H5ReadProgress {
  /** Weight values (float32 numbers) read so far and in total: a smooth measure for a progress bar. */
  readonly valuesRead: number;
  readonly valueCount: number;
  /** Keras name of the layer just read. */
  readonly layer: string;
}

export interface ReadVggfaceH5Options {
  readonly onProgress?: (progress: H5ReadProgress) => void;
}

export interface VggfaceH5Weights {
  readonly architecture: VggfaceArchitecture;
  /** The file also holds the classifier (`fc6..fc8` or `classifier`). It is neither read nor returned. */
  readonly includeTop: boolean;
  /** `save_weights` puts layer groups at the root; `save` puts them under `/model_weights`. */
  readonly layout: 'weights-only' | 'full-model';
  readonly kerasVersion: string | null;
  /** Backbone weights keyed `<layer name>/<role>` (see architectures.ts), Keras shapes. */
  readonly weights: Map<string, WeightTensor>;
}

// ---------------------------------------------------------------------------------------------------------
// Container checks, before handing bytes to the HDF5 library: they give a precise error for the two common
// failures (wrong file, cut-off download) where libhdf5 would only print a diagnostic and fail to open.

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The superblock sits at 0 or, after a user block, at 512, 1024, 2048, … */
function findSuperblock(bytes: Uint8Array): number | null {
  for (
    let offset = 0;
    offset + HDF5_SIGNATURE.length <= bytes.length;
    offset = offset === 0 ? 512 : offset * 2
  ) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[offset + i] === b)) return offset;
  }
  return null;
}

function readAddress(view: DataView, at: number, size: number): number | null {
  if (at + size > view.byteLength) return null;
  if (size === 4) return view.getUint32(at, true);
  if (size !== 8) return null;
  const value = view.getBigUint64(at, true);
  return value === 0xffffffffffffffffn ? null : Number(value);
}

/** End of file (absolute) as recorded in the superblock, or null when it cannot be told. */
function recordedEndOfFile(bytes: Uint8Array, superblock: number): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (superblock + 16 > bytes.length) return null;
  const version = view.getUint8(superblock + 8);
  // Layouts from the HDF5 file-format spec: v0/v1 have the sizes at byte 13 and the addresses after 24
  // (v1 adds 4 bytes); v2/v3 have the size at byte 9 and the addresses from byte 12.
  let offsetSize: number;
  let baseAt: number;
  if (version === 0 || version === 1) {
    offsetSize = view.getUint8(superblock + 13);
    baseAt = superblock + (version === 0 ? 24 : 28);
  } else if (version === 2 || version === 3) {
    offsetSize = view.getUint8(superblock + 9);
    baseAt = superblock + 12;
  } else {
    return null;
  }
  const base = readAddress(view, baseAt, offsetSize);
  const endOfFile = readAddress(view, baseAt + 2 * offsetSize, offsetSize);
  return base === null || endOfFile === null ? null : base + endOfFile;
}

function checkContainer(bytes: Uint8Array): void {
  const superblock = findSuperblock(bytes);
  if (superblock === null) {
    throw new VggfaceImportError(
      'not-hdf5',
      'Not an HDF5 file: no HDF5 signature found (expected a Keras .h5 file)',
    );
  }
  const end = recordedEndOfFile(bytes, superblock);
  if (end !== null && end > bytes.length) {
    throw new VggfaceImportError(
      'truncated',
      `Truncated HDF5 file: it has ${bytes.length} bytes but its superblock records ${end} (incomplete download?)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Attribute and dataset access through h5wasm

type H5wasm = typeof import('h5wasm');
type H5Group = InstanceType<H5wasm['Group']>;
type H5Dataset = InstanceType<H5wasm['Dataset']>;

let h5wasmLoad: Promise<H5wasm> | null = null;

function loadH5wasm(): Promise<H5wasm> {
  h5wasmLoad ??= import('h5wasm').then(async (h5wasm) => {
    await h5wasm.ready;
    return h5wasm;
  });
  return h5wasmLoad;
}

/** Fixed-length strings written by h5py 2.x are NUL-padded; some readers keep the padding. */
function cleanString(value: unknown): string | null {
  if (typeof value === 'string') return value.replace(/\0+$/, '');
  if (value instanceof Uint8Array) return new TextDecoder().decode(value).replace(/\0+$/, '');
  return null;
}

/** A string or array-of-strings attribute as a list. Empty numeric arrays (np.asarray([]) is float64) → []. */
function stringList(group: H5Group, name: string, where: string): string[] | null {
  const attribute = group.attrs[name];
  if (attribute === undefined) return null;
  const value = attribute.value;
  const items: unknown[] = Array.isArray(value)
    ? value
    : ArrayBuffer.isView(value)
      ? Array.from(value as Float64Array)
      : [value];
  if (ArrayBuffer.isView(value) && items.length === 0) return [];
  return items.map((item) => {
    const text = cleanString(item);
    if (text === null)
      throw new VggfaceImportError('corrupt', `Attribute ${name} of ${where} is not a list of strings`);
    return text;
  });
}

/** Keras splits an attribute over `name0`, `name1`, … when it exceeds the 64 KB HDF5 header limit. */
function kerasAttribute(group: H5Group, name: string, where: string): string[] | null {
  const whole = stringList(group, name, where);
  if (whole !== null) return whole;
  const chunks: string[] = [];
  for (let chunk = 0; ; chunk++) {
    const part = stringList(group, `${name}${chunk}`, where);
    if (part === null) return chunk === 0 ? null : chunks;
    chunks.push(...part);
  }
}

function scalarString(group: H5Group, name: string): string | null {
  const attribute = group.attrs[name];
  return attribute === undefined ? null : cleanString(attribute.value);
}

function isGroup(h5wasm: H5wasm, entity: unknown): entity is H5Group {
  return entity instanceof h5wasm.Group;
}

function isDataset(h5wasm: H5wasm, entity: unknown): entity is H5Dataset {
  return entity instanceof h5wasm.Dataset;
}

// ---------------------------------------------------------------------------------------------------------
// A Keras 2 weight file, model-agnostic: layers in `layer_names` order with lazy dataset reads, so that
// nothing is copied out of the file (e.g. VGG16's 400 MB fc6) unless it is asked for.

export interface KerasH5Weight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

export interface KerasH5Layer {
  readonly name: string;
  /** As written in the file, e.g. `conv1/7x7_s2_1/kernel:0`; empty for weightless layers. */
  readonly weightNames: readonly string[];
  /** Shape of the i-th weight, without reading its values. */
  weightShape(index: number): readonly number[];
  /** Values of the i-th weight (float32; float64 files are converted). */
  readWeight(index: number): KerasH5Weight;
}

export interface KerasH5File {
  readonly layout: 'weights-only' | 'full-model';
  readonly kerasVersion: string | null;
  readonly backend: string | null;
  /** Every layer of `layer_names`, weightless ones included, in file order. */
  readonly layers: readonly KerasH5Layer[];
}

function datasetOf(h5wasm: H5wasm, group: H5Group, layer: string, weightName: string): H5Dataset {
  const dataset = group.get(weightName);
  if (!isDataset(h5wasm, dataset)) {
    throw new VggfaceImportError(
      'missing-weight',
      `Weight ${weightName} of layer ${layer} is not in the file`,
    );
  }
  return dataset;
}

function kerasLayer(h5wasm: H5wasm, root: H5Group, name: string): KerasH5Layer {
  const group = root.get(name);
  if (!isGroup(h5wasm, group)) {
    throw new VggfaceImportError(
      'corrupt',
      `Layer ${name} is listed in layer_names but has no group in the file`,
    );
  }
  const weightNames = kerasAttribute(group, 'weight_names', name);
  if (weightNames === null)
    throw new VggfaceImportError('corrupt', `Layer ${name} has no weight_names attribute`);
  const weightName = (index: number): string => {
    const found = weightNames[index];
    if (found === undefined) throw new RangeError(`Layer ${name} has no weight ${index}`);
    return found;
  };
  return {
    name,
    weightNames,
    // Resolved as `<layer group>/<weight name>` exactly as written, TF's `_1` uniquifying suffixes included.
    weightShape: (index) => datasetOf(h5wasm, group, name, weightName(index)).shape ?? [],
    readWeight: (index) => {
      const dataset = datasetOf(h5wasm, group, name, weightName(index));
      const value = dataset.value;
      const shape = dataset.shape ?? [];
      if (value instanceof Float32Array) return { values: value, shape };
      if (value instanceof Float64Array) return { values: Float32Array.from(value), shape };
      throw new VggfaceImportError(
        'unsupported-dtype',
        `Weight ${weightName(index)} is ${JSON.stringify(dataset.dtype)}, expected float32`,
      );
    },
  };
}

function kerasFile(h5wasm: H5wasm, file: H5Group): KerasH5File {
  let root = file;
  let layout: KerasH5File['layout'] = 'weights-only';
  let layerNames = kerasAttribute(file, 'layer_names', '/');
  if (layerNames === null) {
    // keras load_weights falls back to f['model_weights'] for files written by model.save.
    const modelWeights = file.get('model_weights');
    if (isGroup(h5wasm, modelWeights)) {
      root = modelWeights;
      layout = 'full-model';
      layerNames = kerasAttribute(modelWeights, 'layer_names', '/model_weights');
    }
  }
  if (layerNames === null) {
    throw new VggfaceImportError(
      'not-keras-weights',
      'HDF5 file without Keras layer_names (neither at the root nor in /model_weights): not a Keras 2 weight file',
    );
  }
  return {
    layout,
    kerasVersion: scalarString(root, 'keras_version') ?? scalarString(file, 'keras_version'),
    backend: scalarString(root, 'backend') ?? scalarString(file, 'backend'),
    layers: layerNames.map((name) => kerasLayer(h5wasm, root, name)),
  };
}

let nextFileId = 0;

/** libhdf5's error stack, innermost last: `#006: …/H5Fsuper.c line 577 in H5F__super_read(): truncated file: …`. */
function hdf5Reason(message: string): string {
  const frames = [...message.matchAll(/#\d+: .* in \w+\(\): (.*)$/gm)];
  return frames.at(-1)?.[1]?.trim() ?? message.split('\n')[0] ?? message;
}

/**
 * Opens Keras 2 HDF5 bytes, hands the file to `use`, and closes it again. `use` must be synchronous and must
 * not keep the layers: reads go through the open HDF5 handle.
 */
export async function withKerasH5<T>(
  data: ArrayBuffer | Uint8Array,
  use: (file: KerasH5File) => T,
): Promise<T> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  checkContainer(bytes);
  const h5wasm = await loadH5wasm();
  const module = await h5wasm.ready;
  // h5wasm opens files by path in its in-memory Emscripten file system; the copy is removed in `finally`.
  nextFileId += 1;
  const path = `/keras-h5-${nextFileId}.h5`;
  module.FS.writeFile(path, bytes);
  // libhdf5 would print its error stack to the console and return an invalid handle; this makes it throw.
  module.activate_throwing_error_handler();
  let file: InstanceType<H5wasm['File']> | null = null;
  try {
    file = new h5wasm.File(path, 'r');
    if (file.file_id < 0n)
      throw new VggfaceImportError('corrupt', 'The HDF5 library could not open this file');
    return use(kerasFile(h5wasm, file));
  } catch (error) {
    if (error instanceof VggfaceImportError) throw error;
    const reason = hdf5Reason(error instanceof Error ? error.message : String(error));
    throw new VggfaceImportError('corrupt', `Damaged HDF5 file: ${reason}`);
  } finally {
    try {
      if (file !== null && file.file_id >= 0n) file.close();
    } catch {
      // Read-only and in memory: nothing to flush, and the read's own outcome matters more.
    }
    module.deactivate_throwing_error_handler();
    module.FS.unlink(path);
  }
}

// ---------------------------------------------------------------------------------------------------------
// keras-vggface: detect the architecture, pair layers, read and check every backbone weight

function detectArchitecture(
  weightedNames: ReadonlySet<string>,
  allNames: readonly string[],
): VggfaceArchitecture {
  if (weightedNames.has('conv1_1') && weightedNames.has('conv5_3')) return 'vgg16';
  if (weightedNames.has('conv1/7x7_s2'))
    return weightedNames.has('conv2_1_1x1_down') ? 'senet50' : 'resnet50';
  const sample = allNames.slice(0, 8).join(', ');
  throw new VggfaceImportError(
    'unknown-architecture',
    `Not a keras-vggface VGG16, RESNET50 or SENET50 weight file: its layers are ${sample}${allNames.length > 8 ? ', …' : ''}`,
  );
}

/**
 * Pairs the model's weighted layers with the file's. keras-vggface loads VGG16 by name and RESNET50/SENET50
 * by order; requiring the same names and, for the ResNets, the same order makes both rules agree, and
 * catches a file of another model (or a cut-down one) whose shapes happen to line up.
 */
function matchLayers(architecture: VggfaceArchitecture, weighted: readonly KerasH5Layer[]) {
  const top = new Set(ARCHITECTURE_FACTS[architecture].topLayerNames);
  const backbone = weighted.filter((l) => !top.has(l.name));
  const includeTop = backbone.length < weighted.length;
  const specs = weightedLayers(architecture);
  const expected = new Set(specs.map((s) => s.name));
  const unexpected = backbone.filter((l) => !expected.has(l.name)).map((l) => l.name);
  if (unexpected.length > 0) {
    throw new VggfaceImportError(
      'layer-mismatch',
      `Looks like ${architecture} but has layers it does not: ${unexpected.slice(0, 5).join(', ')}`,
    );
  }
  const byName = new Map(backbone.map((l) => [l.name, l]));
  const pairs = specs.map((spec, index) => {
    const layer = byName.get(spec.name);
    if (layer === undefined) {
      throw new VggfaceImportError(
        'layer-mismatch',
        `Looks like ${architecture} but layer ${spec.name} is missing (file has ${backbone.length} of ${specs.length} weighted layers)`,
      );
    }
    if (architecture !== 'vgg16' && backbone[index] !== layer) {
      throw new VggfaceImportError(
        'layer-mismatch',
        `Layer order differs from keras-vggface ${architecture}, which loads by order: weighted layer ${index} is ` +
          `${backbone[index]?.name ?? 'missing'}, expected ${spec.name}`,
      );
    }
    if (layer.weightNames.length !== spec.weights.length) {
      const roles = spec.weights.map((w) => w.role).join(', ');
      throw new VggfaceImportError(
        'layer-mismatch',
        `Layer ${spec.name} has ${layer.weightNames.length} weights, expected ${spec.weights.length} (${roles})`,
      );
    }
    return { spec, layer };
  });
  return { pairs, includeTop };
}

/** `conv1/7x7_s2_1/kernel:0` → `kernel`: the last path part without TF's output index. */
function roleOf(weightName: string): string {
  return (weightName.split('/').pop() ?? '').replace(/:\d+$/, '');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function readBackbone(file: KerasH5File, options: ReadVggfaceH5Options): VggfaceH5Weights {
  if (file.backend === 'theano') {
    throw new VggfaceImportError(
      'unsupported-backend',
      'Saved by the Theano backend (flipped kernels); expected tensorflow',
    );
  }
  const weighted = file.layers.filter((l) => l.weightNames.length > 0);
  const architecture = detectArchitecture(
    new Set(weighted.map((l) => l.name)),
    file.layers.map((l) => l.name),
  );
  const { pairs, includeTop } = matchLayers(architecture, weighted);
  // Every shape is checked before any value is copied, so a wrong file fails fast. Keras 2.2.4 would
  // silently transpose a kernel stored in another layout; here a mismatch means another model: reject it.
  for (const { spec, layer } of pairs) {
    spec.weights.forEach((w, i) => {
      const weightName = layer.weightNames[i] ?? '';
      if (roleOf(weightName) !== w.role) {
        throw new VggfaceImportError(
          'layer-mismatch',
          `Weight ${i} of layer ${spec.name} is ${weightName}, expected its ${w.role}`,
        );
      }
      const shape = layer.weightShape(i);
      if (!sameShape(shape, w.shape)) {
        throw new VggfaceImportError(
          'shape-mismatch',
          `Weight ${weightName} has shape [${shape.join(', ')}], expected [${w.shape.join(', ')}] for ${architecture}`,
        );
      }
    });
  }
  const valueCount = pairs.reduce(
    (sum, { spec }) => sum + spec.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0),
    0,
  );
  let valuesRead = 0;
  const weights = new Map<string, WeightTensor>();
  for (const { spec, layer } of pairs) {
    spec.weights.forEach((w, i) => {
      const { values } = layer.readWeight(i);
      weights.set(`${spec.name}/${w.role}`, { values, shape: w.shape });
      valuesRead += values.length;
    });
    options.onProgress?.({ valuesRead, valueCount, layer: spec.name });
  }
  return { architecture, includeTop, layout: file.layout, kerasVersion: file.kerasVersion, weights };
}

/**
 * Reads a keras-vggface .h5 file (weights-only or full model, notop or include-top) into backbone weights.
 * Throws VggfaceImportError naming the problem for anything else.
 */
export function readVggfaceH5(
  data: ArrayBuffer | Uint8Array,
  options: ReadVggfaceH5Options = {},
): Promise<VggfaceH5Weights> {
  return withKerasH5(data, (file) => readBackbone(file, options));
}
