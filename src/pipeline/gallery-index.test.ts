/** The resident gallery index agrees exactly with nearestNeighbours and leaves no tensor behind. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../cli/backend.ts';
import { DISTANCE_METRICS, nearestNeighbours } from './distance.ts';
import { createGalleryIndex } from './gallery-index.ts';

/** Seeded rows of normal-ish values (not unit length, so the metrics differ). */
function seededRows(count: number, dim: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, () => next() * 3));
}

describe('createGalleryIndex', () => {
  beforeAll(async () => {
    expect(await initNodeBackend('wasm')).toBe('wasm');
  });

  it.each(DISTANCE_METRICS)('returns exactly what nearestNeighbours returns (%s)', async (metric) => {
    const gallery = seededRows(1000, 64, 7);
    // Probes: a few gallery rows themselves (distance ~0), a zero row, and fresh random rows.
    const probes = [gallery[3] as Float32Array, gallery[999] as Float32Array, new Float32Array(64)];
    probes.push(...seededRows(5, 64, 11));
    const before = tf.memory().numTensors;
    const index = createGalleryIndex(gallery, metric);
    expect(index).toMatchObject({ size: 1000, dim: 64, metric });
    for (const k of [1, 5, 2000]) {
      const expected = await nearestNeighbours(probes, gallery, metric, k);
      const found = await index.search(probes, k);
      expect(found).toEqual(expected);
      expect(found[0]?.length).toBe(Math.min(k, 1000));
    }
    expect((await index.search(probes, 1))[0]?.[0]?.index).toBe(3);
    expect((await index.search(probes, 1))[1]?.[0]?.index).toBe(999);
    index.dispose();
    index.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('handles empty galleries and probes, and rejects misuse', async () => {
    const before = tf.memory().numTensors;
    const empty = createGalleryIndex([], 'cosine');
    expect(await empty.search([Float32Array.of(1, 2)], 3)).toEqual([[]]);
    empty.dispose();

    const index = createGalleryIndex(seededRows(10, 4, 3), 'euclidean');
    expect(await index.search([], 5)).toEqual([]);
    await expect(index.search([Float32Array.of(1, 2, 3)], 1)).rejects.toThrow(/3 values, expected 4/);
    index.dispose();
    await expect(index.search([Float32Array.of(1, 2, 3, 4)], 1)).rejects.toThrow(/after dispose/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
