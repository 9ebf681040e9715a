/**
 * Writes a keras-vggface weights file exactly as Keras 2.2.4's `model.save_weights` lays it out (root
 * `layer_names` including weightless layers, one group per layer, `weight_names`, datasets at
 * `<layer group>/<weight name>`, h5py 2.x fixed-length NUL-padded strings), from an oracle fixture's
 * manifest and its procedural weights. h5wasm writes it into its in-memory file system; the bytes are
 * returned and the in-memory file removed.
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

let written = 0;

export async function writeOracleKerasH5(fixture: OracleFixture): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  written += 1;
  const path = `/oracle-${process.pid}-${written}.h5`;
  const f = new h5wasm.File(path, 'w');
  try {
    const layers = fixture.manifest.layers;
    stringAttribute(
      f,
      'layer_names',
      layers.map((l) => l.name),
    );
    stringAttribute(f, 'backend', 'tensorflow');
    stringAttribute(f, 'keras_version', '2.2.4');
    for (const layer of layers) {
      const group = ensureGroup(f, layer.name);
      if (layer.weights.length === 0) {
        group.create_attribute('weight_names', new Float64Array(0), [0], '<d'); // np.asarray([]) is float64
        continue;
      }
      stringAttribute(
        group,
        'weight_names',
        layer.weights.map((w) => w.name),
      );
      for (const w of layer.weights) {
        const slash = w.name.lastIndexOf('/');
        const parent = slash < 0 ? group : ensureGroup(group, w.name.slice(0, slash));
        parent.create_dataset({
          name: w.name.slice(slash + 1),
          data: oracleTensor(w),
          shape: w.shape,
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
