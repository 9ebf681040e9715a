/**
 * Every converted .tflite model reproduces the TFLite runtime's outputs in
 * ../shared/fixtures/tflite-reference.json within the fixture's float32 tolerance (tfjs CPU backend).
 */
import '@tensorflow/tfjs-backend-cpu';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelId } from '../../src/models/specs.ts';
import { loadGraphModel } from '../../src/pipeline/models/load-model.ts';
import { fixturesDir, hasShared, readJson, readModelFile } from '../support/shared.ts';

interface FixtureOutput {
  shape: number[];
  data?: number[];
  first64?: number[];
  sum: number;
  l2: number;
}
interface FixtureModel {
  input: { shape: number[]; formula: 'signed' | 'unit' };
  outputs: Record<string, FixtureOutput>;
  tolerance: { atol_float32: number };
}
interface Fixture {
  models: Record<string, FixtureModel>;
}

const FIXTURE_TO_MODEL: Record<string, { id: ModelId; transposed: boolean }> = {
  pnet: { id: 'pnet', transposed: true },
  rnet: { id: 'rnet', transposed: true },
  onet: { id: 'onet', transposed: true },
  MobileFaceNet: { id: 'mobilefacenet', transposed: false },
  FaceAntiSpoofing: { id: 'antispoof', transposed: false },
};

function formulaInput(shape: number[], formula: 'signed' | 'unit'): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++)
    x[i] = formula === 'signed' ? ((i * 37) % 255) / 127.5 - 1 : ((i * 37) % 255) / 255;
  return tf.tensor(x, shape);
}

/** Swaps axes 1 and 2 of a rank-4 tensor; leaves other ranks alone. */
const swapSpatial = (t: tf.Tensor) => (t.rank === 4 ? tf.transpose(t, [0, 2, 1, 3]) : t.clone());

describe.skipIf(!hasShared)('tflite parity (Node, tfjs CPU)', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    fixture = await readJson<Fixture>(join(fixturesDir, 'tflite-reference.json'));
  });

  for (const [name, { id, transposed }] of Object.entries(FIXTURE_TO_MODEL)) {
    it(`${name} → ${id} matches TFLite within atol_float32`, async () => {
      const ref = fixture.models[name];
      if (!ref) throw new Error(`fixture has no ${name}`);
      const model = await loadGraphModel(id, readModelFile);
      const before = tf.memory().numTensors;
      const outputNames = Object.keys(ref.outputs);
      const results = tf.tidy(() => {
        const input = formulaInput(ref.input.shape, ref.input.formula);
        // MTCNN weights have the Caffe-era transpose baked in: feed and read back transposed.
        const fed = transposed ? swapSpatial(input) : input;
        const outs = ([] as tf.Tensor[]).concat(model.execute(fed, outputNames));
        return outs.map((o) => (transposed ? swapSpatial(o) : o));
      });
      for (const [k, outName] of outputNames.entries()) {
        const expected = ref.outputs[outName] as FixtureOutput;
        const actual = results[k] as tf.Tensor;
        expect(actual.shape).toEqual(expected.shape);
        const values = await actual.data();
        const tol = ref.tolerance.atol_float32;
        const reference = expected.data ?? expected.first64 ?? [];
        let maxDiff = 0;
        for (let i = 0; i < reference.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs((values[i] ?? 0) - (reference[i] ?? 0)));
        console.log(
          `${name}/${outName}: max |Δ| ${maxDiff.toExponential(2)} over ${reference.length} values (atol ${tol})`,
        );
        expect(maxDiff).toBeLessThanOrEqual(tol);
        const l2 = Math.hypot(...Array.from(values, Number));
        expect(Math.abs(l2 - expected.l2)).toBeLessThanOrEqual(tol * Math.sqrt(values.length));
      }
      tf.dispose(results);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }
});
