// The procedural-weight oracle (../shared/fixtures/vggface/README.md): every weight is a closed-form function
// of (tensor index k, flat index i), the input a closed-form image; the fixtures hold the float64 reference
// embedding and per-layer checkpoints of keras-vggface's VGG16, RESNET50 and SENET50 for them. Passing
// means rel_l2 ≤ 1e-4 everywhere, ~400× the float32 drift and below every porting mistake the README lists.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  oracleImage as oracleImageBytes,
  oracleTensor,
  relL2,
  u32sum,
} from '../../../../tests/vggface/support/oracle.ts';
import {
  ARCHITECTURE_FACTS,
  createParams,
  disposeParams,
  embedBatch,
  tfSamePadding,
  type VggfaceArchitecture,
  type WeightTensor,
  weightedLayers,
} from './architectures';
import { loadVggface, VGGFACE_MODELS } from './index';
import { preprocessInput } from './preprocess';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = path.join(path.resolve(projectRoot, '../shared'), 'fixtures/vggface');
const fixturesMissing = !existsSync(path.join(fixturesDir, 'resnet50.json'));
if (fixturesMissing)
  console.warn(`SKIP vggface oracle: ${fixturesDir} not found (../shared is not checked out)`);

// ---- fixture JSON (only the fields used here) ----

interface ManifestWeight {
  k: number;
  name: string;
  shape: number[];
  role: 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';
  gain: number;
  u32sum: number;
  first4: number[];
  last: number;
}
interface ManifestLayer {
  name: string;
  class: string;
  inbound: string[];
  config: { activation?: string };
  weights: ManifestWeight[];
}
interface Sample {
  first16: number[];
  strided16: { indices: number[]; values: number[] };
  l2: number;
  rms: number;
}
interface Checkpoint extends Sample {
  layer: string;
  alias?: string;
  name_is_auto: boolean;
  shape: number[];
}
interface OracleFixture {
  manifest: { layers: ManifestLayer[] };
  input: { preprocessed_check: Sample & { shape: number[] } };
  output: { values: number[]; l2: number };
  checkpoints: Checkpoint[];
}

function loadFixture(architecture: VggfaceArchitecture): OracleFixture {
  return JSON.parse(readFileSync(path.join(fixturesDir, `${architecture}.json`), 'utf8')) as OracleFixture;
}

// ---- the README's generator (weights vggface-oracle-w1, input vggface-oracle-img1): tests/vggface/support ----

/** Builds the weights map from the manifest (k, gain, role) and checks the generator bit for bit. */
function oracleWeights(fixture: OracleFixture): Map<string, WeightTensor> {
  const weights = new Map<string, WeightTensor>();
  for (const layer of fixture.manifest.layers) {
    for (const w of layer.weights) {
      const values = oracleTensor(w);
      expect(u32sum(values), `${w.name} u32sum`).toBe(w.u32sum);
      expect(Array.from(values.subarray(0, 4)), `${w.name} first4`).toEqual(w.first4);
      weights.set(`${layer.name}/${w.role}`, { values, shape: w.shape });
    }
  }
  return weights;
}

const oracleImage = (): Float32Array => Float32Array.from(oracleImageBytes());

// ---- comparison ----

function l2(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

interface SampleCheck {
  /** rel_l2 over the 32 stored values (first16 + strided16). */
  sampleRelL2: number;
  /** max |port − ref| over them, in units of max(1, rms) (the fixture's tolerance unit). */
  sampleMaxAbs: number;
  /** |‖port‖ − ‖ref‖| / ‖ref‖ over the whole tensor. */
  normRelDiff: number;
}

function checkSample(values: Float32Array, ref: Sample): SampleCheck {
  const port = [
    ...Array.from(values.subarray(0, 16)),
    ...ref.strided16.indices.map((i) => values[i] as number),
  ];
  const expected = [...ref.first16, ...ref.strided16.values];
  const unit = Math.max(1, ref.rms);
  return {
    sampleRelL2: relL2(port, expected),
    sampleMaxAbs: Math.max(...port.map((p, i) => Math.abs(p - (expected[i] as number)))) / unit,
    normRelDiff: Math.abs(l2(values) - ref.l2) / ref.l2,
  };
}

/**
 * The name our forward pass reports a fixture checkpoint under. Named Keras layers keep their name; the
 * auto-named ones (`activation_4`, `add_1`, … which differ between Keras sessions) are matched by the
 * fixture's alias, else by their position in the graph.
 */
function observedName(checkpoint: Checkpoint, layers: ReadonlyMap<string, ManifestLayer>): string {
  if (checkpoint.layer === 'input_1') return 'input';
  if (!checkpoint.name_is_auto) return checkpoint.layer;
  if (checkpoint.alias !== undefined) return checkpoint.alias.split(' (')[0] as string;
  const layer = layers.get(checkpoint.layer);
  if (layer === undefined) throw new Error(`no manifest layer ${checkpoint.layer}`);
  const blockOf = (name: string): string => {
    const match = /^(conv\d_\d+)_/.exec(name);
    if (match?.[1] !== undefined) return match[1];
    const inbound = layers.get(name)?.inbound[0];
    if (inbound === undefined) throw new Error(`cannot place ${name} in a block`);
    return blockOf(inbound);
  };
  const input = layer.inbound[0] ?? '';
  switch (layer.class) {
    case 'Activation':
      return `${input}/${layer.config.activation}`;
    case 'Add':
      return `${blockOf(input)}/add`;
    case 'Multiply':
      return `${blockOf(input)}/se/scaled`;
    case 'Reshape':
      return `${blockOf(input)}/se/reshape`;
    case 'GlobalAveragePooling2D':
      return input === 'pool5' || input === 'avg_pool' ? 'embedding' : `${blockOf(input)}/se/gap`;
    default:
      throw new Error(`unmapped auto-named checkpoint ${checkpoint.layer} (${layer.class})`);
  }
}

interface ModelRun {
  embedding: Float32Array;
  checkpoints: Map<string, { shape: number[]; check: SampleCheck }>;
}

const TOLERANCE = 1e-4;

// WASM (XNNPACK) runs ResNet-50 at 224 in ~0.4 s here; tfjs-cpu takes ~15 s, and VGG16 four times that.
beforeAll(async () => {
  setWasmPaths(`${path.join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  await tf.setBackend('wasm');
});

describe('vggface building blocks', () => {
  it("TF 'same' padding puts the odd pixel after: 2/3 on the 7×7/2 stem, 1/1 on a 3×3/1", () => {
    expect(tfSamePadding(224, 7, 2)).toEqual([2, 3]);
    expect(tfSamePadding(55, 3, 1)).toEqual([1, 1]);
  });

  it('createParams names a missing or misshapen weight and allocates nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => createParams('vgg16', new Map())).toThrow(/missing weight conv1_1\/kernel/);
    const wrong = new Map([['conv1_1/kernel', { values: new Float32Array(1728), shape: [64, 3, 3, 3] }]]);
    expect(() => createParams('vgg16', wrong)).toThrow(
      /conv1_1\/kernel has shape \[64,3,3,3\], expected \[3,3,3,64\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.skipIf(fixturesMissing)(
  fixturesMissing ? `vggface oracle — SKIPPED: ${fixturesDir} not found` : 'vggface procedural-weight oracle',
  () => {
    const image = oracleImage();
    const summary: string[] = [];

    afterAll(() => {
      console.info(`vggface oracle (tfjs ${tf.getBackend()}):\n  ${summary.join('\n  ')}`);
    });

    it('preprocess_input: RGB→BGR minus the v2 means, bit-exact', () => {
      const check = loadFixture('resnet50').input.preprocessed_check;
      const pre = tf.tidy(
        () => preprocessInput(tf.tensor4d(image, [1, 224, 224, 3]), 2).dataSync() as Float32Array,
      );
      expect(Array.from(pre.subarray(0, 16))).toEqual(check.first16);
      expect(check.strided16.indices.map((i) => pre[i])).toEqual(check.strided16.values);
      expect(Math.abs(l2(pre) - check.l2) / check.l2).toBeLessThan(1e-6);
    });

    describe.each(['vgg16', 'resnet50', 'senet50'] as const)('%s', (architecture) => {
      // Loaded in beforeAll, not at collection: a skipped describe still runs its body.
      let fixture: OracleFixture;
      let manifestLayers: Map<string, ManifestLayer>;
      let weights: Map<string, WeightTensor>;
      let run: ModelRun;

      beforeAll(async () => {
        fixture = loadFixture(architecture);
        manifestLayers = new Map(fixture.manifest.layers.map((l) => [l.name, l]));
        weights = oracleWeights(fixture);
        const params = createParams(architecture, weights);
        const wanted = new Map(fixture.checkpoints.map((c) => [observedName(c, manifestLayers), c]));
        const checkpoints: ModelRun['checkpoints'] = new Map();
        const input = tf.tensor4d(image, [1, 224, 224, 3]);
        const [embedding] = await embedBatch(params, input, (name, output) => {
          const ref = wanted.get(name);
          if (ref === undefined) return;
          const values = output.dataSync() as Float32Array;
          checkpoints.set(name, { shape: output.shape, check: checkSample(values, ref) });
        });
        input.dispose();
        disposeParams(params);
        if (embedding === undefined) throw new Error('no embedding');
        run = { embedding, checkpoints };
      });

      it('weight spec equals the manifest: layer names, Keras order, roles, shapes', () => {
        const fromManifest = fixture.manifest.layers
          .filter((l) => l.weights.length > 0)
          .map((l) => ({ name: l.name, weights: l.weights.map((w) => ({ role: w.role, shape: w.shape })) }));
        const fromSpec = weightedLayers(architecture).map((l) => ({
          name: l.name,
          weights: l.weights.map((w) => ({ role: w.role, shape: [...w.shape] })),
        }));
        expect(fromSpec).toEqual(fromManifest);
        const ks = fixture.manifest.layers.flatMap((l) => l.weights.map((w) => w.k));
        expect(ks).toEqual(ks.map((_, i) => i));
      });

      it('embedding: rel_l2 ≤ 1e-4 against the float64 reference', () => {
        expect(run.embedding.length).toBe(ARCHITECTURE_FACTS[architecture].embeddingSize);
        const error = relL2(run.embedding, fixture.output.values);
        summary.push(`${architecture}: embedding rel_l2 ${error.toExponential(2)}`);
        expect(error).toBeLessThanOrEqual(TOLERANCE);
      });

      it('every checkpoint: exact shape, rel_l2 ≤ 1e-4 on its samples and norm', () => {
        let worst = 0;
        for (const ref of fixture.checkpoints) {
          const name = observedName(ref, manifestLayers);
          const got = run.checkpoints.get(name);
          expect(got, `checkpoint ${ref.layer} (${name}) was not produced`).toBeDefined();
          if (got === undefined) continue;
          expect(got.shape, `${ref.layer} shape`).toEqual(ref.shape);
          const { sampleRelL2, sampleMaxAbs, normRelDiff } = got.check;
          expect(sampleRelL2, `${ref.layer} sample rel_l2`).toBeLessThanOrEqual(TOLERANCE);
          expect(sampleMaxAbs, `${ref.layer} sample max_abs / max(1, rms)`).toBeLessThanOrEqual(TOLERANCE);
          expect(normRelDiff, `${ref.layer} norm`).toBeLessThanOrEqual(TOLERANCE);
          worst = Math.max(worst, sampleRelL2, normRelDiff);
        }
        summary.push(
          `${architecture}: ${fixture.checkpoints.length} checkpoints, worst rel error ${worst.toExponential(2)}`,
        );
      });

      if (architecture === 'resnet50') {
        it('public API: batch of 2 = two single runs, Float32Array out, no tensor leaks', async () => {
          const tensorsBefore = tf.memory().numTensors;
          const model = loadVggface({ architecture, weights });
          expect(model.id).toBe(VGGFACE_MODELS.resnet50.id);
          const loaded = tf.memory().numTensors;
          const batch = tf.tidy(() => {
            const one = tf.tensor4d(image, [1, 224, 224, 3]);
            return tf.concat([one, tf.reverse(one, 2)]) as tf.Tensor4D;
          });
          const [first, mirrored] = await model.embed(batch);
          batch.dispose();
          expect(tf.memory().numTensors).toBe(loaded);
          model.dispose();
          model.dispose();
          expect(tf.memory().numTensors).toBe(tensorsBefore);
          await expect(model.embed(batch)).rejects.toThrow(/after dispose/);
          expect(first).toBeInstanceOf(Float32Array);
          expect(relL2(first as Float32Array, run.embedding)).toBeLessThan(1e-6);
          expect(relL2(mirrored as Float32Array, run.embedding)).toBeGreaterThan(1e-2);
        });
      }
    });
  },
);
