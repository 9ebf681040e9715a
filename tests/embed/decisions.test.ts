/** Distances, identification, verification and accuracy metrics on hand-made vectors. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePairsCsv } from '../../src/cli/commands.ts';
import {
  cosineDistance,
  distance,
  distanceMatrix,
  euclideanDistance,
  l2EuclideanDistance,
  nearestNeighbours,
} from '../../src/pipeline/distance.ts';
import {
  accuracyAt,
  bestAccuracy,
  equalErrorRate,
  rank1Identification,
  rocAuc,
  tarAtFar,
} from '../../src/pipeline/embedders/evaluate.ts';
import { identify } from '../../src/pipeline/identify.ts';
import { largestFace, NoReferenceFaceError, verifyPhotos } from '../../src/pipeline/verify.ts';
import { useWasm } from './helpers.ts';

const v = (...x: number[]) => Float32Array.from(x);

describe('distances', () => {
  beforeAll(useWasm);

  it('single pairs', () => {
    expect(cosineDistance(v(1, 0), v(0, 1))).toBeCloseTo(1, 12);
    expect(cosineDistance(v(1, 1), v(2, 2))).toBeCloseTo(0, 7);
    expect(cosineDistance(v(1, 0), v(-3, 0))).toBeCloseTo(2, 12);
    expect(euclideanDistance(v(0, 0, 0), v(1, 2, 2))).toBeCloseTo(3, 12);
    expect(l2EuclideanDistance(v(3, 0), v(0, 5))).toBeCloseTo(Math.SQRT2, 12);
    expect(distance(v(1, 0), v(1, 1), 'cosine')).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(() => distance(v(1), v(1, 2), 'euclidean')).toThrow(/sizes differ/);
  });

  it('the matrix form (one matMul) matches the pairwise definitions', async () => {
    const probes = [v(1, 2, 3), v(-1, 0.5, 2), v(0, 0, 1)];
    const gallery = [v(1, 2, 3.5), v(3, -1, 0), v(0.2, 0.1, -1), v(10, 10, 10)];
    for (const metric of ['cosine', 'euclidean', 'euclidean-l2'] as const) {
      const m = await distanceMatrix(probes, gallery, metric);
      for (const [i, p] of probes.entries()) {
        for (const [j, g] of gallery.entries()) expect(m[i]?.[j]).toBeCloseTo(distance(p, g, metric), 4);
      }
    }
  });

  it('nearest neighbours: ascending, with indices, k capped at the gallery size', async () => {
    const nn = await nearestNeighbours([v(0, 0), v(10, 0)], [v(1, 0), v(9, 0), v(0, 3)], 'euclidean', 5);
    expect(nn[0]?.map((n) => n.index)).toEqual([0, 2, 1]);
    expect(nn[0]?.map((n) => n.distance)).toEqual([1, 3, 9].map((d) => expect.closeTo(d, 4)));
    expect(nn[1]?.[0]).toEqual({ index: 1, distance: expect.closeTo(1, 4) });
    expect(await nearestNeighbours([], [v(1)], 'cosine')).toEqual([]);
    expect(await nearestNeighbours([v(1)], [], 'cosine')).toEqual([[]]);
  });
});

describe('identify (1:N)', () => {
  beforeAll(useWasm);
  const gallery = [
    { name: 'ann', embeddings: [v(1, 0.1), v(0.9, 0)] },
    { name: 'bob', embeddings: [v(0, 1)] },
    { name: 'cy', embeddings: [v(-1, 0), v(-1, -1), v(0, -1)] },
    { name: 'nobody', embeddings: [] },
  ];

  it('top-k people with their closest sample, unknown above the threshold', async () => {
    const ids = await identify([v(1, 0), v(1, 1), v(0, -1), v(1, -1)], gallery, {
      metric: 'cosine',
      threshold: 0.25,
      topK: 2,
    });
    expect(ids[0]?.label).toBe('ann');
    expect(ids[0]?.match).toEqual({ name: 'ann', distance: expect.closeTo(0, 5), sample: 1 });
    // (1,1): ann's (1, 0.1) at 0.226 beats bob's (0, 1) at 0.293
    expect(ids[1]?.candidates).toEqual([
      { name: 'ann', distance: expect.closeTo(1 - 1.1 / (Math.SQRT2 * Math.hypot(1, 0.1)), 5), sample: 0 },
      { name: 'bob', distance: expect.closeTo(1 - Math.SQRT1_2, 5), sample: 0 },
    ]);
    expect(ids[2]?.match).toEqual({ name: 'cy', distance: expect.closeTo(0, 5), sample: 2 });
    // (1,−1) is 0.29 from both ann and cy: above 0.25 → unknown, candidates still listed
    expect(ids[3]?.label).toBe('unknown');
    expect(ids[3]?.match).toBeNull();
    expect(ids[3]?.candidates).toHaveLength(2);
  });

  it('people without embeddings are ignored; an empty gallery makes everyone unknown', async () => {
    const ids = await identify([v(1, 0)], gallery, { metric: 'euclidean', threshold: 10, topK: 10 });
    expect(ids[0]?.candidates.map((c) => c.name)).toEqual(['ann', 'bob', 'cy']);
    const none = await identify([v(1, 0)], [{ name: 'x', embeddings: [] }], {
      metric: 'cosine',
      threshold: 1,
    });
    expect(none).toEqual([{ match: null, label: 'unknown', candidates: [] }]);
  });
});

describe('verify (1:1 against reference photos)', () => {
  beforeAll(useWasm);
  const face = (box: [number, number, number, number], ...e: number[]) => ({ box, embedding: v(...e) });

  it('nearest reference face per test face, verdict per face and per photo', async () => {
    const refs = [
      { name: 'ref1.jpg', faces: [face([0, 0, 10, 10], 0, 1), face([0, 0, 50, 50], 1, 0)] }, // largest is (1, 0)
      { name: 'ref2.jpg', faces: [] },
      { name: 'ref3.jpg', faces: [], error: 'cannot decode image' },
    ];
    const photos = [
      { name: 'a.jpg', faces: [face([0, 0, 5, 5], 0, 1), face([0, 0, 5, 5], 1, 0.05)] },
      { name: 'b.jpg', faces: [face([0, 0, 5, 5], 0, 1)] },
      { name: 'c.jpg', faces: [] },
      { name: 'd.jpg', faces: [], error: 'file not found' },
    ];
    const report = await verifyPhotos(refs, photos, { metric: 'cosine', threshold: 0.3 });
    expect(report.references).toEqual([{ photo: 'ref1.jpg', face: 1, box: [0, 0, 50, 50] }]);
    expect(report.unusableReferences).toEqual([
      { photo: 'ref2.jpg', reason: 'no face found' },
      { photo: 'ref3.jpg', reason: 'cannot decode image' },
    ]);
    expect(report.photos.map((p) => p.verdict)).toEqual(['verified', 'not-verified', 'no-face', 'error']);
    expect(report.photos[0]?.faces.map((f) => f.verified)).toEqual([false, true]);
    expect(report.photos[0]?.bestDistance).toBeCloseTo(1 - 1 / Math.hypot(1, 0.05), 5);
    expect(report.summary).toEqual({
      verified: ['a.jpg'],
      notVerified: ['b.jpg'],
      noFace: ['c.jpg'],
      errors: ['d.jpg'],
    });

    const all = await verifyPhotos(refs, photos, { metric: 'cosine', threshold: 0.3, referenceFaces: 'all' });
    expect(all.references).toHaveLength(2);
    expect(all.summary.verified).toEqual(['a.jpg', 'b.jpg']);
    expect(all.photos[1]?.faces[0]?.reference).toBe(0);
  });

  it('threshold is inclusive and no usable reference is an error', async () => {
    const refs = [{ name: 'r', faces: [face([0, 0, 1, 1], 3, 4)] }];
    const report = await verifyPhotos(refs, [{ name: 'p', faces: [face([0, 0, 1, 1], 3, 4)] }], {
      metric: 'euclidean',
      threshold: 0,
    });
    expect(report.photos[0]?.verdict).toBe('verified');
    await expect(
      verifyPhotos([{ name: 'r', faces: [] }], [], { metric: 'cosine', threshold: 1 }),
    ).rejects.toBeInstanceOf(NoReferenceFaceError);
    expect(largestFace([])).toBe(-1);
  });
});

describe('accuracy metrics', () => {
  beforeAll(useWasm);

  it('AUC counts ties as ½ and is 1 for perfect separation', () => {
    expect(rocAuc({ same: [0.1, 0.2], different: [0.3, 0.4] })).toBe(1);
    expect(rocAuc({ same: [0.5, 0.6], different: [0.1, 0.2] })).toBe(0);
    expect(rocAuc({ same: [0.3], different: [0.3] })).toBe(0.5);
    // same = {0.1, 0.4}, different = {0.2, 0.3}: 0.1 beats both, 0.4 beats none → 2/4
    expect(rocAuc({ same: [0.1, 0.4], different: [0.2, 0.3] })).toBe(0.5);
  });

  it('best accuracy takes the middle of the widest best range', () => {
    const p = { same: [0.1, 0.2, 0.3], different: [0.7, 0.8, 0.25] };
    // cut after 0.2 (→ 5/6 right) or after 0.3 (→ 5/6 right): widest best gap is 0.3..0.7
    expect(bestAccuracy(p)).toEqual({ threshold: expect.closeTo(0.5, 10), accuracy: 5 / 6 });
    expect(accuracyAt(p, 0.5)).toBeCloseTo(5 / 6, 12);
    expect(bestAccuracy({ same: [0.1], different: [0.9] })).toEqual({
      threshold: expect.closeTo(0.5, 10),
      accuracy: 1,
    });
  });

  it('EER and TAR at FAR', () => {
    const p = { same: [0.1, 0.2, 0.3, 0.6], different: [0.4, 0.5, 0.7, 0.8] };
    const eer = equalErrorRate(p);
    expect(eer.rate).toBeCloseTo(0.25, 12);
    const t = tarAtFar(
      { same: [0.1, 0.2, 0.35], different: Array.from({ length: 100 }, (_, i) => 0.3 + i / 100) },
      0.01,
    );
    // one impostor (0.30) may pass: threshold = second smallest impostor (0.31), 2 of 3 genuine pairs below it
    expect(t.threshold).toBeCloseTo(0.31, 10);
    expect(t.tar).toBeCloseTo(2 / 3, 12);
  });

  it('rank-1 uses the first N per label as gallery', async () => {
    const labels = ['a', 'a', 'a', 'b', 'b', 'b'];
    const e = [v(1, 0), v(0.9, 0.1), v(0.1, 1), v(0, 1), v(0.1, 0.9), v(1, 0.05)];
    const r = await rank1Identification(e, labels, 'cosine', 2);
    expect(r.gallery).toBe(4);
    expect(r.probes).toBe(2);
    expect(r.rank1).toBe(0); // a's 3rd looks like b, b's 3rd like a
    expect(r.errors).toEqual([
      { probe: 2, expected: 'a', got: 'b' },
      { probe: 5, expected: 'b', got: 'a' },
    ]);
  });

  it('pairs CSV: header skipped, labels 0/1/true/false/same/different', () => {
    expect(parsePairsCsv('file_x,file_y,label\na.jpg, b.jpg ,1\n\n# c\nc.png,d.png,different\n')).toEqual([
      { a: 'a.jpg', b: 'b.jpg', same: true },
      { a: 'c.png', b: 'd.png', same: false },
    ]);
    expect(() => parsePairsCsv('a,b,1\nc,d,maybe')).toThrow(/line 2/);
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await distanceMatrix([v(1, 2)], [v(2, 1)], 'euclidean');
    await nearestNeighbours([v(1, 2)], [v(2, 1), v(0, 1)], 'cosine', 2);
    await identify([v(1, 2)], [{ name: 'x', embeddings: [v(1, 1)] }], { metric: 'cosine', threshold: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
