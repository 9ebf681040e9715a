/**
 * Writes keras-vggface weights files exactly as Keras 2.2.4's `model.save_weights` lays them out (root
 * `layer_names` including weightless layers, one group per layer, `weight_names`, datasets at
 * `<layer group>/<weight name>`, h5py 2.x fixed-length NUL-padded strings unless asked otherwise),
 * optionally in `model.save`'s layout. h5wasm writes into its in-memory file system; the bytes are
 * returned and the in-memory file removed. Used by the reader's unit tests, the CLI import test and
 * the browser import e2e.
 */
import h5wasm from 'h5wasm';
import { type OracleFixture, oracleTensor } from './oracle.ts';

export type H5Group = InstanceType<typeof h5wasm.Group>;

/** h5wasm does not create intermediate groups; Keras's names (`conv1/7x7_s2/bn`) need them. */
export function ensureGroup(parent: H5Group, relative: string): H5Group {
  let group = parent;
  for (const part of relative.split('/')) {
    const existing = group.get(part);
    group = existing instanceof h5wasm.Group ? existing : (group.create_group(part) as H5Group);
  }
  return group;
}

/** A string attribute: fixed-length NUL-padded as h5py 2.x wrote them, or variable-length (h5py 3). */
export function stringAttribute(
  group: H5Group,
  name: string,
  value: string | string[],
  fixedLength = true,
): void {
  const longest = Math.max(1, ...(Array.isArray(value) ? value : [value]).map((s) => s.length));
  group.create_attribute(
    name,
    value,
    Array.isArray(value) ? [value.length] : null,
    fixedLength ? `S${longest}` : null,
  );
}

/** One layer as Keras saves it. */
export interface LayerToWrite {
  readonly name: string;
  /** Dataset names as Keras writes them, e.g. `conv1/7x7_s2/kernel:0`; `values` undefined = no dataset. */
  readonly weights: readonly { name: string; shape: readonly number[]; values?: Float32Array }[];
}

export interface WriteOptions {
  /** model.save layout: layer groups under /model_weights, plus model_config at the root. */
  readonly fullModel?: boolean;
  /** h5py 2.x wrote fixed-length NUL-padded strings (default); h5py 3 writes variable-length ones. */
  readonly fixedLengthStrings?: boolean;
  readonly backend?: string;
}

let written = 0;

/** The bytes of a Keras 2.x `save_weights` (or, with `fullModel`, `save`) file holding `layers`. */
export async function writeKerasH5(
  layers: readonly LayerToWrite[],
  options: WriteOptions = {},
): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  written += 1;
  const path = `/keras-${process.pid}-${written}.h5`;
  const f = new h5wasm.File(path, 'w');
  const fixed = options.fixedLengthStrings ?? true;
  try {
    let root: H5Group = f;
    if (options.fullModel === true) {
      stringAttribute(
        f,
        'model_config',
        JSON.stringify({ class_name: 'Model', config: { name: 'vggface' } }),
        fixed,
      );
      root = ensureGroup(f, 'model_weights');
    }
    stringAttribute(
      root,
      'layer_names',
      layers.map((l) => l.name),
      fixed,
    );
    stringAttribute(root, 'backend', options.backend ?? 'tensorflow', fixed);
    stringAttribute(root, 'keras_version', '2.2.4', fixed);
    for (const layer of layers) {
      const group = ensureGroup(root, layer.name);
      if (layer.weights.length === 0) {
        group.create_attribute('weight_names', new Float64Array(0), [0], '<d'); // np.asarray([]) is float64
        continue;
      }
      stringAttribute(
        group,
        'weight_names',
        layer.weights.map((w) => w.name),
        fixed,
      );
      for (const w of layer.weights) {
        if (w.values === undefined) continue;
        const slash = w.name.lastIndexOf('/');
        const parent = slash < 0 ? group : ensureGroup(group, w.name.slice(0, slash));
        parent.create_dataset({
          name: w.name.slice(slash + 1),
          data: w.values,
          shape: [...w.shape],
          dtype: '<f',
        });
      }
    }
  } finally {
    f.close();
  }
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}

/** An oracle fixture's manifest with its procedural weights, as keras-vggface's weights file. */
export function writeOracleKerasH5(fixture: OracleFixture): Promise<Uint8Array> {
  return writeKerasH5(
    fixture.manifest.layers.map((layer) => ({
      name: layer.name,
      weights: layer.weights.map((w) => ({ name: w.name, shape: w.shape, values: oracleTensor(w) })),
    })),
  );
}
