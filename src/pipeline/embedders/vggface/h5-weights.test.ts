// The Keras .h5 reader: the real-layout stem fixtures (fixed- and variable-length strings), full-size files
// of each architecture written here in the Keras 2 layout (weights-only and full-model, notop and
// include-top, TF `_1` suffixes), and a clear VggfaceImportError for everything that is not one of them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import h5wasm from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LayerToWrite, writeKerasH5 } from '../../../../tests/vggface/support/keras-h5.ts';
import { oracleImage, u32sum } from '../../../../tests/vggface/support/oracle.ts';
import {
  bottleneck,
  bottleneckBlocks,
  createParams,
  disposeParams,
  resnetStem,
  type VggfaceArchitecture,
  type WeightTensor,
  weightedLayers,
} from './architectures';
import {
  type H5ReadProgress,
  readVggfaceH5,
  VggfaceImportError,
  type VggfaceImportErrorCode,
  withKerasH5,
} from './h5-weights';
import { preprocessInput } from './preprocess';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = path.join(path.resolve(projectRoot, '../shared'), 'fixtures/vggface');
const fixturesMissing = !existsSync(path.join(fixturesDir, 'resnet50-stem.json'));
if (fixturesMissing)
  console.warn(`SKIP .h5 stem fixtures: ${fixturesDir} not found (../shared is not checked out)`);

async function rejection(promise: Promise<unknown>): Promise<VggfaceImportError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VggfaceImportError);
    return error as VggfaceImportError;
  }
  throw new Error('expected a VggfaceImportError, but the file was accepted');
}

async function expectImportError(data: Uint8Array, code: VggfaceImportErrorCode, message: RegExp) {
  const error = await rejection(readVggfaceH5(data));
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

/** Cheap distinct values per tensor: exact in float32, so a misplaced or transposed tensor shows. */
function fillValues(k: number, size: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = k * 1000 + (i % 997);
  return values;
}

interface ArchitectureFile {
  readonly layers: LayerToWrite[];
  /** The values written, keyed like the reader's output. */
  readonly written: Map<string, WeightTensor>;
}

/**
 * The architecture's layers in Keras layout, with weightless layers in between as in a real file. Options
 * choose the TF name suffix, whether datasets are written, and the include_top classifier (never with data:
 * the reader must not touch it).
 */
function architectureLayers(
  architecture: VggfaceArchitecture,
  { suffix = '', withData = true, top = false }: { suffix?: string; withData?: boolean; top?: boolean } = {},
): ArchitectureFile {
  const written = new Map<string, WeightTensor>();
  const layers: LayerToWrite[] = [{ name: 'input_1', weights: [] }];
  let k = 0;
  let activations = 0;
  for (const spec of weightedLayers(architecture)) {
    const weights = spec.weights.map((w) => {
      const values = withData
        ? fillValues(
            k,
            w.shape.reduce((a, b) => a * b, 1),
          )
        : undefined;
      k += 1;
      if (values !== undefined) written.set(`${spec.name}/${w.role}`, { values, shape: w.shape });
      return { name: `${spec.name}${suffix}/${w.role}:0`, shape: w.shape, values };
    });
    layers.push({ name: spec.name, weights });
    if (spec.kind === 'bn') layers.push({ name: `activation_${++activations}`, weights: [] });
  }
  layers.push({ name: architecture === 'vgg16' ? 'pool5' : 'avg_pool', weights: [] });
  if (top) {
    const dense = (name: string, cin: number, cout: number): LayerToWrite => ({
      name,
      weights: [
        { name: `${name}/kernel:0`, shape: [cin, cout] },
        { name: `${name}/bias:0`, shape: [cout] },
      ],
    });
    layers.push({ name: 'flatten_1', weights: [] });
    if (architecture === 'vgg16')
      layers.push(dense('fc6', 25088, 4096), dense('fc7', 4096, 4096), dense('fc8', 4096, 2622));
    else layers.push(dense('classifier', 2048, 8631));
  } else {
    layers.push({ name: 'global_average_pooling2d_1', weights: [] });
  }
  return { layers, written };
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---- the stem fixtures ----

interface StemFixture {
  manifest: {
    layers: {
      name: string;
      weights: { name: string; shape: number[]; role: string; u32sum: number; last: number }[];
    }[];
  };
  output: {
    shape: number[];
    first16: number[];
    strided16: { indices: number[]; values: number[] };
    l2: number;
    channel_mean: number[];
    pixels: Record<string, number[]>;
  };
  tolerance: { output: { rel_l2_max: number; max_abs: number } };
}

/** The block output's stored numbers and ours at the same places, as two flat vectors. */
function stemComparison(out: Float32Array, fixture: StemFixture['output']) {
  const [, height, width, channels] = fixture.shape as [number, number, number, number];
  const ours: number[] = [...out.subarray(0, 16), ...fixture.strided16.indices.map((i) => out[i] as number)];
  const reference: number[] = [...fixture.first16, ...fixture.strided16.values];
  for (const [pixel, vector] of Object.entries(fixture.pixels)) {
    const [y, x] = pixel.split(',').map(Number) as [number, number];
    const at = (y * width + x) * channels;
    ours.push(...out.subarray(at, at + channels));
    reference.push(...vector);
  }
  const channelMean = new Float64Array(channels);
  out.forEach((v, i) => {
    channelMean[i % channels] = (channelMean[i % channels] as number) + v / (height * width);
  });
  ours.push(...channelMean);
  reference.push(...fixture.channel_mean);
  return { ours, reference };
}

describe.skipIf(fixturesMissing)(
  fixturesMissing
    ? `Keras .h5 reader — SKIPPED: ${fixturesDir} not found`
    : 'Keras .h5 reader: stem fixtures',
  () => {
    const fixture = (): StemFixture =>
      JSON.parse(readFileSync(path.join(fixturesDir, 'resnet50-stem.json'), 'utf8')) as StemFixture;

    beforeAll(async () => {
      setWasmPaths(`${path.join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
      await tf.setBackend('wasm');
    });

    describe.each(['resnet50-stem.h5', 'resnet50-stem.vlenstr.h5'])('%s', (fileName) => {
      const bytes = () => new Uint8Array(readFileSync(path.join(fixturesDir, fileName)));

      it('layer_names, weight_names, shapes and u32sum match the manifest', async () => {
        const { manifest } = fixture();
        const listing = await withKerasH5(bytes(), (file) => ({
          layout: file.layout,
          backend: file.backend,
          kerasVersion: file.kerasVersion,
          layers: file.layers.map((layer) => ({
            name: layer.name,
            weights: layer.weightNames.map((name, i) => {
              const { values, shape } = layer.readWeight(i);
              return { name, shape, u32sum: u32sum(values), last: values[values.length - 1] };
            }),
          })),
        }));
        expect(listing).toMatchObject({
          layout: 'weights-only',
          backend: 'tensorflow',
          kerasVersion: expect.stringMatching(/^2\./),
        });
        expect(listing.layers).toEqual(
          manifest.layers.map((l) => ({
            name: l.name,
            weights: l.weights.map(({ name, shape, u32sum, last }) => ({ name, shape, u32sum, last })),
          })),
        );
      });

      it('stem + conv2_1 from the file reproduce conv2_1/out (rel_l2 ≤ 1e-5)', async () => {
        const { manifest, output, tolerance } = fixture();
        const weights = await withKerasH5(bytes(), (file) => {
          const map = new Map<string, WeightTensor>();
          for (const layer of manifest.layers) {
            const fileLayer = file.layers.find((l) => l.name === layer.name);
            layer.weights.forEach((w, i) => {
              if (fileLayer === undefined) throw new Error(`${layer.name} not in file`);
              map.set(`${layer.name}/${w.role}`, fileLayer.readWeight(i));
            });
          }
          return map;
        });
        // The file's weighted layers are the first 10 of RESNET50, in the order the spec loads by.
        const stemLayers = weightedLayers('resnet50').slice(0, 10);
        expect(stemLayers.map((l) => l.name)).toEqual(
          manifest.layers.filter((l) => l.weights.length > 0).map((l) => l.name),
        );
        const tensorsBefore = tf.memory().numTensors;
        const params = createParams('resnet50', weights, stemLayers);
        const [block] = bottleneckBlocks();
        if (block === undefined) throw new Error('no blocks');
        const out = tf.tidy(() => {
          const input = preprocessInput(tf.tensor4d(Float32Array.from(oracleImage()), [1, 224, 224, 3]), 2);
          const y = bottleneck(params, block, resnetStem(params, input));
          expect(y.shape).toEqual(output.shape);
          return y.dataSync() as Float32Array;
        });
        disposeParams(params);
        expect(tf.memory().numTensors).toBe(tensorsBefore);

        const { ours, reference } = stemComparison(out, output);
        let num = 0;
        let den = 0;
        let maxAbs = 0;
        ours.forEach((v, i) => {
          const r = reference[i] as number;
          num += (v - r) ** 2;
          den += r * r;
          maxAbs = Math.max(maxAbs, Math.abs(v - r));
        });
        const relL2 = Math.sqrt(num / den);
        console.info(
          `${fileName}: conv2_1/out rel_l2 ${relL2.toExponential(2)} over ${ours.length} values, max_abs ${maxAbs.toExponential(2)}`,
        );
        expect(relL2).toBeLessThanOrEqual(tolerance.output.rel_l2_max);
        expect(maxAbs).toBeLessThanOrEqual(tolerance.output.max_abs);
        let l2 = 0;
        for (const v of out) l2 += v * v;
        expect(Math.abs(Math.sqrt(l2) - output.l2) / output.l2).toBeLessThanOrEqual(
          tolerance.output.rel_l2_max,
        );
      });

      it('readVggfaceH5 rejects it: a cut-down RESNET50 is not an embedder', async () => {
        await expectImportError(bytes(), 'layer-mismatch', /conv2_2_1x1_reduce is missing.*10 of 106/);
      });
    });

    it('rejects a truncated copy (an interrupted download)', async () => {
      const whole = new Uint8Array(readFileSync(path.join(fixturesDir, 'resnet50-stem.h5')));
      await expectImportError(whole.slice(0, 200_000), 'truncated', /200000 bytes.*390560/);
      await expectImportError(whole.slice(0, whole.length - 1), 'truncated', /Truncated HDF5 file/);
    });

    it('rejects a copy with damaged metadata, quietly (no libhdf5 console dump)', async () => {
      const damaged = new Uint8Array(readFileSync(path.join(fixturesDir, 'resnet50-stem.h5')));
      damaged.fill(0xab, 96, 800); // the root group's object header and symbol table
      await expectImportError(damaged, 'corrupt', /Damaged HDF5 file: \S+/);
    });
  },
);

describe('Keras .h5 reader: full-size files in the Keras layout', () => {
  it('RESNET50 full-model file (model.save), include_top, `_1` suffixes: every weight read exactly', async () => {
    const { layers, written } = architectureLayers('resnet50', { suffix: '_1', top: true });
    const bytes = await writeKerasH5(layers, { fullModel: true });
    const progress: H5ReadProgress[] = [];
    const result = await readVggfaceH5(bytes, { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({
      architecture: 'resnet50',
      includeTop: true,
      layout: 'full-model',
      kerasVersion: '2.2.4',
    });
    expect([...result.weights.keys()]).toEqual([...written.keys()]);
    for (const [key, { values, shape }] of written) {
      const read = result.weights.get(key);
      expect(read?.shape, key).toEqual(shape);
      expect(read !== undefined && sameValues(read.values, values), `${key} values`).toBe(true);
    }
    expect(progress).toHaveLength(weightedLayers('resnet50').length);
    expect(progress.at(-1)?.valuesRead).toBe(progress.at(-1)?.valueCount);
    expect(progress.at(-1)?.valueCount).toBe(23_561_152);
  });

  it('SENET50 weights-only file with variable-length strings (h5py 3)', async () => {
    const { layers, written } = architectureLayers('senet50');
    const result = await readVggfaceH5(await writeKerasH5(layers, { fixedLengthStrings: false }));
    expect(result).toMatchObject({ architecture: 'senet50', includeTop: false, layout: 'weights-only' });
    expect(result.weights.size).toBe(written.size);
    const last = written.get('conv5_3_1x1_up/bias');
    expect(
      last !== undefined &&
        sameValues(result.weights.get('conv5_3_1x1_up/bias')?.values ?? new Float32Array(), last.values),
    ).toBe(true);
  });

  it('VGG16 include-top file: the 120M-parameter classifier is recognised but never read', async () => {
    // fc6..fc8 are listed with weight_names but have no datasets: reading them would fail.
    const { layers, written } = architectureLayers('vgg16', { top: true });
    const result = await readVggfaceH5(await writeKerasH5(layers));
    expect(result).toMatchObject({ architecture: 'vgg16', includeTop: true });
    expect([...result.weights.keys()]).toEqual([...written.keys()]);
  });
});

describe('Keras .h5 reader: rejections name the problem', () => {
  it('random bytes and an empty file: not HDF5', async () => {
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    await expectImportError(random, 'not-hdf5', /Not an HDF5 file/);
    await expectImportError(new Uint8Array(0), 'not-hdf5', /Not an HDF5 file/);
  });

  it('HDF5 without Keras layer_names', async () => {
    const { FS } = await h5wasm.ready;
    const f = new h5wasm.File('/plain.h5', 'w');
    f.create_dataset({ name: 'data', data: new Float32Array([1, 2, 3]) });
    f.close();
    const bytes = FS.readFile('/plain.h5');
    FS.unlink('/plain.h5');
    await expectImportError(bytes, 'not-keras-weights', /layer_names/);
  });

  it('another Keras model', async () => {
    const dense = (name: string, shape: number[]) => ({
      name,
      shape,
      values: new Float32Array(shape.reduce((a, b) => a * b, 1)),
    });
    const bytes = await writeKerasH5([
      { name: 'input_1', weights: [] },
      {
        name: 'conv2d_1',
        weights: [dense('conv2d_1/kernel:0', [3, 3, 3, 8]), dense('conv2d_1/bias:0', [8])],
      },
      { name: 'dense_1', weights: [dense('dense_1/kernel:0', [8, 2]), dense('dense_1/bias:0', [2])] },
    ]);
    await expectImportError(bytes, 'unknown-architecture', /input_1, conv2d_1, dense_1/);
  });

  it('wrong shapes: a kernel stored OIHW (e.g. converted from PyTorch)', async () => {
    const { layers } = architectureLayers('resnet50', { withData: false });
    const stem = layers[1];
    if (stem?.name !== 'conv1/7x7_s2') throw new Error('unexpected layer order');
    layers[1] = {
      name: stem.name,
      weights: [{ name: 'conv1/7x7_s2/kernel:0', shape: [64, 3, 7, 7], values: new Float32Array(9408) }],
    };
    await expectImportError(
      await writeKerasH5(layers),
      'shape-mismatch',
      /conv1\/7x7_s2\/kernel:0 has shape \[64, 3, 7, 7\], expected \[7, 7, 3, 64\]/,
    );
  });

  it('RESNET50 layers out of Keras order (increase/proj swapped: same shapes, would load silently)', async () => {
    const { layers } = architectureLayers('resnet50', { withData: false });
    const increase = layers.findIndex((l) => l.name === 'conv2_1_1x1_increase');
    const proj = layers.findIndex((l) => l.name === 'conv2_1_1x1_proj');
    [layers[increase], layers[proj]] = [layers[proj] as LayerToWrite, layers[increase] as LayerToWrite];
    await expectImportError(
      await writeKerasH5(layers),
      'layer-mismatch',
      /order.*conv2_1_1x1_proj, expected conv2_1_1x1_increase/,
    );
  });

  it('a layer list without its datasets', async () => {
    const { layers } = architectureLayers('senet50', { withData: false });
    await expectImportError(await writeKerasH5(layers), 'missing-weight', /conv1\/7x7_s2\/kernel:0/);
  });

  it('Theano-backend kernels', async () => {
    const { layers } = architectureLayers('vgg16', { withData: false });
    await expectImportError(
      await writeKerasH5(layers, { backend: 'theano' }),
      'unsupported-backend',
      /Theano/,
    );
  });
});
