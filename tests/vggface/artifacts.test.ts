/**
 * Converted keras-vggface artifacts (model.json + weights.bin): an exact float32 round trip, standard tfjs
 * manifests (tfjs's own decodeWeights reads them), float16 storage measured on the oracle, and a clear
 * VggfaceImportError for every kind of damaged or foreign artifact.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/backend.ts';
import { fromFloat16Bits, toFloat16Bits } from '../../src/pipeline/embedders/vggface/float16.ts';
import {
  fromVggfaceArtifacts,
  loadVggface,
  toVggfaceArtifacts,
  type VggfaceH5Weights,
  VggfaceImportError,
  type WeightTensor,
} from '../../src/pipeline/embedders/vggface/index.ts';
import {
  cosineDistance,
  hasVggfaceFixtures,
  loadOracleFixture,
  type OracleFixture,
  oracleImage,
  oracleWeights,
  relL2,
  VGGFACE_FIXTURES_MISSING,
} from './support/oracle.ts';

describe('float16 encoding', () => {
  it('rounds to nearest even, keeps signs, subnormals, infinities and NaN', () => {
    const cases = new Float32Array([
      0,
      -0,
      1,
      -2.5,
      65504,
      65520,
      1e6,
      -1e6,
      2 ** -14,
      2 ** -24,
      2 ** -25,
      2 ** -26,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
    const back = fromFloat16Bits(toFloat16Bits(cases));
    expect(Array.from(back)).toEqual([
      0,
      -0,
      1,
      -2.5,
      65504,
      Number.POSITIVE_INFINITY, // 65520 is the tie between 65504 and 65536 (= Inf): even wins
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** -14,
      2 ** -24,
      0, // tie between 0 and 2^-24: even (0) wins
      0,
      1, // tie between 1 and 1 + 2^-10: even (1) wins
      1 + 2 * 2 ** -10, // tie between 1 + 2^-10 and 1 + 2^-9: even wins
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
  });

  it('picks the nearest half for 100k random values (no neighbour is closer)', () => {
    const values = new Float32Array(100_000);
    for (let i = 0; i < values.length; i++) values[i] = (Math.sin(i * 12.9898) * 43758.5453) % 8;
    const halves = toFloat16Bits(values);
    const decoded = fromFloat16Bits(halves);
    const below = fromFloat16Bits(halves.map((h) => h - 1));
    const above = fromFloat16Bits(halves.map((h) => h + 1));
    let worse = 0;
    values.forEach((v, i) => {
      const err = Math.abs((decoded[i] as number) - v);
      if (Math.abs((below[i] as number) - v) < err || Math.abs((above[i] as number) - v) < err) worse += 1;
    });
    expect(worse).toBe(0);
  });
});

describe.skipIf(!hasVggfaceFixtures)(
  `keras-vggface artifacts${hasVggfaceFixtures ? '' : ` — ${VGGFACE_FIXTURES_MISSING}`}`,
  () => {
    let fixture: OracleFixture;
    let source: VggfaceH5Weights;
    beforeAll(async () => {
      await initNodeBackend('wasm');
      fixture = loadOracleFixture('resnet50');
      source = {
        architecture: 'resnet50',
        includeTop: false,
        layout: 'weights-only',
        kerasVersion: '2.2.4',
        weights: oracleWeights(fixture),
      };
    });

    const embedWith = async (weights: ReadonlyMap<string, WeightTensor>) => {
      const model = loadVggface({ architecture: 'resnet50', weights });
      const input = tf.tensor4d(oracleImage(), [1, 224, 224, 3], 'int32');
      try {
        const [embedding] = await model.embed(input);
        return embedding as Float32Array;
      } finally {
        input.dispose();
        model.dispose();
      }
    };

    it('float32: the manifest is standard tfjs, the round trip is exact, tfjs decodeWeights agrees', () => {
      const { manifest, weightData } = toVggfaceArtifacts(source, {
        sourceFile: '/home/me/.keras/x/rcmalli.h5',
      });
      expect(manifest).toMatchObject({
        format: 'facecheck-vggface',
        formatVersion: 1,
        id: 'vggface2-resnet50',
        label: 'VGGFace2 ResNet-50 (imported)',
        architecture: 'resnet50',
        storage: 'float32',
        sourceFile: 'rcmalli.h5',
        embeddingSize: 2048,
      });
      expect(weightData.byteLength).toBe(23_561_152 * 4);
      const [group] = manifest.weightsManifest;
      expect(group.weights).toHaveLength(265);
      const back = fromVggfaceArtifacts(JSON.parse(JSON.stringify(manifest)), weightData);
      expect(back.facts.id).toBe('vggface2-resnet50');
      for (const [key, { values, shape }] of source.weights) {
        const read = back.weights.get(key);
        expect(read?.shape, key).toEqual(shape);
        expect(
          read !== undefined &&
            Buffer.compare(
              Buffer.from(read.values.buffer, read.values.byteOffset, read.values.byteLength),
              Buffer.from(values.buffer),
            ) === 0,
          key,
        ).toBe(true);
      }
      // The stem and the last BN through tfjs's own reader (a few tensors: the whole map would be 94 MB more).
      const decoded = tf.io.decodeWeights(weightData, group.weights);
      for (const key of ['conv1/7x7_s2/kernel', 'conv5_3_1x1_increase/bn/moving_variance']) {
        const t = decoded[key] as tf.Tensor;
        expect(Array.from(t.dataSync()), key).toEqual(Array.from(source.weights.get(key)?.values ?? []));
      }
      tf.dispose(Object.values(decoded));
    });

    it('float16: half the bytes, tfjs decodes the same values; embedding change vs float32 measured', async () => {
      const half = toVggfaceArtifacts(source, { sourceFile: 'rcmalli.h5', storage: 'float16' });
      expect(half.weightData.byteLength).toBe(23_561_152 * 2);
      const back = fromVggfaceArtifacts(half.manifest, half.weightData);
      const [group] = half.manifest.weightsManifest;
      const decoded = tf.io.decodeWeights(half.weightData, group.weights);
      for (const key of ['conv1/7x7_s2/kernel', 'conv3_2_3x3/bn/gamma']) {
        expect(Array.from((decoded[key] as tf.Tensor).dataSync()), key).toEqual(
          Array.from(back.weights.get(key)?.values ?? []),
        );
      }
      tf.dispose(Object.values(decoded));

      const reference = fixture.output.values;
      const full = await embedWith(source.weights);
      const halfEmbedding = await embedWith(back.weights);
      const stats = {
        float32: {
          relL2VsOracle: relL2(full, reference),
          cosineDistanceVsOracle: cosineDistance(full, reference),
        },
        float16: {
          relL2VsOracle: relL2(halfEmbedding, reference),
          cosineDistanceVsOracle: cosineDistance(halfEmbedding, reference),
          relL2VsFloat32: relL2(halfEmbedding, full),
          cosineDistanceVsFloat32: cosineDistance(halfEmbedding, full),
        },
      };
      console.info(`vggface2-resnet50 float16 storage: ${JSON.stringify(stats)}`);
      expect(stats.float32.relL2VsOracle).toBeLessThanOrEqual(1e-4);
      // float16 keeps 11 significant bits (relative rounding ≤ 2^-12 ≈ 2.4e-4 per weight): the embedding
      // moves, but far less than the 0.5 cosine decision scale.
      expect(stats.float16.relL2VsFloat32).toBeGreaterThan(0);
      expect(stats.float16.relL2VsFloat32).toBeLessThan(1e-2);
      expect(stats.float16.cosineDistanceVsFloat32).toBeLessThan(1e-4);
    });

    describe('damaged or foreign artifacts are refused with a clear message', () => {
      const good = () => toVggfaceArtifacts(source, { sourceFile: 'x.h5', storage: 'float16' });
      const refusal = (manifest: unknown, data: ArrayBuffer): VggfaceImportError => {
        try {
          fromVggfaceArtifacts(manifest, data);
        } catch (error) {
          expect(error).toBeInstanceOf(VggfaceImportError);
          expect((error as VggfaceImportError).code).toBe('invalid-artifacts');
          return error as VggfaceImportError;
        }
        throw new Error('the artifacts were accepted');
      };
      const edited = (change: (m: Record<string, unknown>) => void) => {
        const { manifest, weightData } = good();
        const copy = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
        change(copy);
        return refusal(copy, weightData).message;
      };
      type Entries = { weights: { name: string; shape: number[]; quantization?: unknown }[] }[];

      it('not JSON, not an object, another format or version', () => {
        const { weightData } = good();
        expect(refusal(new TextEncoder().encode('{"format":'), weightData).message).toMatch(
          /model\.json is not JSON/,
        );
        expect(refusal(null, weightData).message).toMatch(/not an object/);
        expect(
          edited((m) => {
            m.format = 'layers-model';
          }),
        ).toMatch(/format is "layers-model"/);
        expect(
          edited((m) => {
            m.formatVersion = 2;
          }),
        ).toMatch(/formatVersion 2 is not supported/);
      });

      it('unknown architecture, id or storage, wrong sizes', () => {
        expect(
          edited((m) => {
            m.architecture = 'resnet101';
          }),
        ).toMatch(/unknown architecture "resnet101"/);
        expect(
          edited((m) => {
            m.id = 'vggface2-senet50';
          }),
        ).toMatch(/id "vggface2-senet50" does not match resnet50/);
        expect(
          edited((m) => {
            m.storage = 'int8';
          }),
        ).toMatch(/unknown storage "int8"/);
        expect(
          edited((m) => {
            m.embeddingSize = 512;
          }),
        ).toMatch(/embeddingSize/);
      });

      it('weights missing, renamed, reshaped or stored differently from the manifest', () => {
        expect(
          edited((m) => {
            (m.weightsManifest as Entries)[0]?.weights.pop();
          }),
        ).toMatch(/264 weights listed, resnet50 has 265/);
        expect(
          edited((m) => {
            const w = (m.weightsManifest as Entries)[0]?.weights;
            if (w?.[15] && w[16]) [w[15].name, w[16].name] = [w[16].name, w[15].name];
          }),
        ).toMatch(/weight 15 is "conv2_1_1x1_proj\/kernel", expected conv2_1_1x1_increase\/kernel/);
        expect(
          edited((m) => {
            const first = (m.weightsManifest as Entries)[0]?.weights[0];
            if (first) first.shape = [64, 3, 7, 7];
          }),
        ).toMatch(/conv1\/7x7_s2\/kernel has shape \[64,3,7,7\], expected \[7, 7, 3, 64\]/);
        expect(
          edited((m) => {
            const first = (m.weightsManifest as Entries)[0]?.weights[0];
            if (first) delete first.quantization;
          }),
        ).toMatch(/stored as float32 in a float16 model/);
      });

      it('a truncated or replaced weights.bin', () => {
        const { manifest, weightData } = good();
        expect(refusal(manifest, weightData.slice(0, weightData.byteLength - 2)).message).toMatch(
          /weights\.bin has 47122302 bytes, the manifest needs 47122304/,
        );
        expect(refusal(manifest, new ArrayBuffer(0)).message).toMatch(/weights\.bin has 0 bytes/);
      });
    });
  },
);
