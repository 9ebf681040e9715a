/**
 * The converter is deterministic (a fresh conversion reproduces public/models byte for byte) and its
 * building blocks are exact.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelIndex } from '../../src/models/specs.ts';
import { modelsDir, projectRoot } from '../../tests/support/shared.ts';
import { readTfliteModel } from './tflite-schema.ts';
import { halfToFloat } from './tflite-to-graph.ts';
import { floatToHalf } from './write-graph-model.ts';

describe('model converter', () => {
  it('round-trips every finite float16 bit pattern exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const exponent = (h >> 10) & 0x1f;
      if (exponent === 31) continue; // inf / NaN
      expect(floatToHalf(halfToFloat(h))).toBe(h === 0x8000 ? 0x8000 : h);
    }
  });

  it('rounds floats to the nearest half', () => {
    expect(halfToFloat(floatToHalf(1 / 3))).toBeCloseTo(0.33325, 5);
    expect(halfToFloat(floatToHalf(65504))).toBe(65504);
  });

  it('refuses bytes that are not a .tflite flatbuffer', () => {
    expect(() => readTfliteModel(new TextEncoder().encode('this is not a model at all'))).toThrow(/TFL3/);
  });

  it('reproduces public/models byte for byte in a fresh directory', () => {
    const out = mkdtempSync(join(tmpdir(), 'facecheck-models-'));
    try {
      execFileSync('npx', ['tsx', 'scripts/models/convert.ts', '--out', out], {
        cwd: projectRoot,
        stdio: 'pipe',
      });
      const fresh: ModelIndex = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
      const current: ModelIndex = JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8'));
      expect(fresh).toEqual(current);
      expect(readFileSync(join(out, 'pnet/model.json'))).toEqual(
        readFileSync(join(modelsDir, 'pnet/model.json')),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
