/** Alignment maths (Umeyama) and the batched warp, on synthetic data. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applySimilarity,
  composeSimilarity,
  invertSimilarity,
  type Point,
  type Similarity,
  similarityAngle,
  similarityScale,
  umeyama,
} from '../../src/pipeline/align/similarity.ts';
import { ARCFACE_112, dlibChipTemplate, scaleTemplate } from '../../src/pipeline/align/templates.ts';
import {
  alignFaces,
  alignmentTransform,
  realignCrops,
  transformRow,
  warpBatch,
} from '../../src/pipeline/align/warp.ts';
import { useWasm } from './helpers.ts';

const similarity = (scale: number, angle: number, tx: number, ty: number): Similarity => ({
  a: scale * Math.cos(angle),
  b: scale * Math.sin(angle),
  tx,
  ty,
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('umeyama (least-squares similarity)', () => {
  it('recovers a known similarity exactly from the 5 ArcFace points', () => {
    const truth = similarity(2.37, 0.41, -13.5, 88.25);
    const src = ARCFACE_112.points;
    const dst = src.map((p) => applySimilarity(truth, p));
    const m = umeyama(src, dst);
    expect(m.a).toBeCloseTo(truth.a, 12);
    expect(m.b).toBeCloseTo(truth.b, 12);
    expect(m.tx).toBeCloseTo(truth.tx, 10);
    expect(m.ty).toBeCloseTo(truth.ty, 10);
    expect(similarityScale(m)).toBeCloseTo(2.37, 12);
    expect(similarityAngle(m)).toBeCloseTo(0.41, 12);
  });

  it('recovers 200 random similarities (any angle, scale 0.05–20) to 1e-9', () => {
    const r = rng(7);
    for (let k = 0; k < 200; k++) {
      const truth = similarity(
        0.05 + 20 * r(),
        (r() * 2 - 1) * Math.PI,
        (r() - 0.5) * 2000,
        (r() - 0.5) * 2000,
      );
      const src: Point[] = Array.from({ length: 5 }, () => [r() * 300, r() * 300] as const);
      const m = umeyama(
        src,
        src.map((p) => applySimilarity(truth, p)),
      );
      for (const key of ['a', 'b', 'tx', 'ty'] as const)
        expect(Math.abs(m[key] - truth[key])).toBeLessThan(1e-9 * Math.max(1, Math.abs(truth[key])));
    }
  });

  it('with noisy points equals the 4-parameter linear least-squares solution (normal equations)', () => {
    const r = rng(11);
    const src: Point[] = Array.from({ length: 5 }, () => [r() * 100, r() * 100] as const);
    const dst = src.map((p) => {
      const [x, y] = applySimilarity(similarity(1.3, -0.2, 5, 7), p);
      return [x + (r() - 0.5) * 4, y + (r() - 0.5) * 4] as const;
    });
    // unknowns (a, b, tx, ty): x' = a·x − b·y + tx, y' = b·x + a·y + ty → AᵀA θ = Aᵀd
    const rows: number[][] = [];
    const rhs: number[] = [];
    src.forEach(([x, y], i) => {
      const [dx, dy] = dst[i] as Point;
      rows.push([x, -y, 1, 0], [y, x, 0, 1]);
      rhs.push(dx, dy);
    });
    const ata = [0, 1, 2, 3].map((i) =>
      [0, 1, 2, 3].map((j) => rows.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0)),
    );
    const atb = [0, 1, 2, 3].map((i) =>
      rows.reduce((s, row, k) => s + (row[i] as number) * (rhs[k] as number), 0),
    );
    // Gaussian elimination
    const m = ata.map((row, i) => [...row, atb[i] as number]);
    for (let c = 0; c < 4; c++) {
      const pivot = m[c] as number[];
      for (let r2 = 0; r2 < 4; r2++) {
        if (r2 === c) continue;
        const row = m[r2] as number[];
        const f = (row[c] as number) / (pivot[c] as number);
        for (let k = c; k < 5; k++) row[k] = (row[k] as number) - f * (pivot[k] as number);
      }
    }
    const theta = m.map((row, i) => (row[4] as number) / (row[i] as number));
    const u = umeyama(src, dst);
    expect(u.a).toBeCloseTo(theta[0] as number, 9);
    expect(u.b).toBeCloseTo(theta[1] as number, 9);
    expect(u.tx).toBeCloseTo(theta[2] as number, 7);
    expect(u.ty).toBeCloseTo(theta[3] as number, 7);
  });

  it('never returns a reflection: mirrored points give the best proper rotation', () => {
    const src = ARCFACE_112.points;
    const mirrored = src.map(([x, y]) => [-x, y] as const);
    const m = umeyama(src, mirrored);
    expect(m.a * m.a + m.b * m.b).toBeGreaterThan(0); // det of [[a, −b], [b, a]] = a² + b² > 0
  });

  it('inverse and composition are exact', () => {
    const m = similarity(0.8, 1.1, 3, -4);
    const id = composeSimilarity(invertSimilarity(m), m);
    expect(id.a).toBeCloseTo(1, 14);
    expect(id.b).toBeCloseTo(0, 14);
    expect(id.tx).toBeCloseTo(0, 12);
    expect(id.ty).toBeCloseTo(0, 12);
  });

  it('rejects degenerate input', () => {
    expect(() =>
      umeyama(
        [
          [1, 1],
          [1, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(/identical/);
    expect(() => umeyama([[1, 1]], [[0, 0]])).toThrow(/at least 2/);
    expect(() => umeyama(ARCFACE_112.points, ARCFACE_112.points.slice(0, 4))).toThrow();
  });
});

describe('templates', () => {
  it('scaling ArcFace 112 → 224 doubles pixel-centre distances', () => {
    const t = scaleTemplate(ARCFACE_112, 224);
    const [l, r] = t.points;
    const [l0, r0] = ARCFACE_112.points;
    expect(r[0] - l[0]).toBeCloseTo(2 * (r0[0] - l0[0]), 10);
    expect(l[0]).toBeCloseTo((l0[0] + 0.5) * 2 - 0.5, 10);
  });

  it('the dlib chip template is symmetric about the vertical centre line', () => {
    const [le, re, nose, ml, mr] = dlibChipTemplate(150).points;
    expect(le[1]).toBe(re[1]);
    expect(ml[1]).toBe(mr[1]);
    expect(nose[1]).toBeGreaterThan(le[1]);
    expect(ml[1]).toBeGreaterThan(nose[1]);
  });
});

describe('batched warp (tfjs)', () => {
  beforeAll(useWasm);

  /** A smooth RGB test image: values are affine in x and y, so bilinear sampling is exact. */
  const ramp = (h: number, w: number) =>
    tf.tidy(() => {
      const ys = tf.reshape(tf.range(0, h), [h, 1, 1]);
      const xs = tf.reshape(tf.range(0, w), [1, w, 1]);
      const c = tf.reshape(tf.tensor1d([1, 2, 3]), [1, 1, 3]);
      return tf.add(tf.mul(xs, c), tf.mul(ys, 0.5)) as tf.Tensor3D;
    });

  it('maps landmarks onto the template: a dot at each landmark lands on the template point', async () => {
    const truth = similarity(1.7, 0.3, 40, 25); // template → image
    const landmarks = ARCFACE_112.points.map((p) => applySimilarity(truth, p));
    const [h, w] = [300, 320];
    const pixels = new Float32Array(h * w * 3);
    for (const [x, y] of landmarks) {
      const i = (Math.round(y) * w + Math.round(x)) * 3;
      pixels.fill(255, i, i + 3);
    }
    const image = tf.tensor3d(pixels, [h, w, 3]);
    const crops = alignFaces(image, [landmarks], ARCFACE_112, { antialias: false });
    const data = await crops.data();
    for (const [tx, ty] of ARCFACE_112.points) {
      // the dot is spread by bilinear sampling; its brightest output pixel is within 1 px of the template point
      let best = { v: -1, x: 0, y: 0 };
      for (let y = Math.floor(ty) - 3; y <= Math.ceil(ty) + 3; y++) {
        for (let x = Math.floor(tx) - 3; x <= Math.ceil(tx) + 3; x++) {
          const v = data[(y * 112 + x) * 3] as number;
          if (v > best.v) best = { v, x, y };
        }
      }
      expect(best.v).toBeGreaterThan(0);
      expect(Math.hypot(best.x - tx, best.y - ty)).toBeLessThan(1.5);
    }
    tf.dispose([image, crops]);
  });

  it('the cropped batched warp equals one full-image tf.image.transform per face', async () => {
    const image = ramp(200, 260);
    const faces = [
      ARCFACE_112.points.map((p) => applySimilarity(similarity(0.9, 0.2, 60, 40), p)),
      ARCFACE_112.points.map((p) => applySimilarity(similarity(1.4, -0.5, 150, 120), p)), // runs off the right/bottom
      ARCFACE_112.points.map((p) => applySimilarity(similarity(0.6, 3.0, 10, 5), p)), // upside down, off the top-left
    ];
    const batched = alignFaces(image, faces, ARCFACE_112, { antialias: false });
    const expected = tf.tidy(() =>
      tf.concat(
        faces.map((lm) => {
          const row = transformRow(invertSimilarity(alignmentTransform(lm, ARCFACE_112)));
          return tf.image.transform(
            tf.expandDims(image) as tf.Tensor4D,
            tf.tensor2d([[...row]]),
            'bilinear',
            'constant',
            0,
            [112, 112],
          );
        }),
      ),
    );
    expect(batched.shape).toEqual([3, 112, 112, 3]);
    const [a, b] = await Promise.all([batched.data(), expected.data()]);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
    // values reach ~900 here; the two paths round float32 sample coordinates differently (≤ 0.005 px)
    expect(maxDiff).toBeLessThan(0.02);
    tf.dispose([image, batched, expected]);
  });

  it('anti-aliasing only changes a smooth image by rounding (area average of an affine ramp is exact)', async () => {
    const image = ramp(600, 600);
    const face = ARCFACE_112.points.map((p) => applySimilarity(similarity(4.2, 0.1, 100, 80), p)); // scale 1/4.2
    const plain = alignFaces(image, [face], ARCFACE_112, { antialias: false });
    const smooth = alignFaces(image, [face], ARCFACE_112, { antialias: true });
    const [a, b] = await Promise.all([plain.data(), smooth.data()]);
    let maxDiff = 0;
    // compare away from the zero-filled border
    for (let y = 10; y < 100; y++)
      for (let x = 10; x < 100; x++)
        for (let c = 0; c < 3; c++) {
          const i = (y * 112 + x) * 3 + c;
          if ((a[i] as number) > 0 && (b[i] as number) > 0)
            maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
        }
    expect(maxDiff).toBeLessThan(0.05);
    tf.dispose([image, plain, smooth]);
  });

  it('warpBatch gives every image its own transform on the cpu backend too (tfjs-backend-cpu 4.22 bug)', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      const images = tf.tidy(() => tf.stack([ramp(20, 20), tf.mul(ramp(20, 20), 2)]) as tf.Tensor4D);
      const out = warpBatch(
        images,
        [transformRow(similarity(1, 0, 2, 3)), transformRow(similarity(1, 0, 1, 1))],
        8,
      );
      const data = await out.data();
      // second image: value at output (0,0) = 2·(x·c + 0.5·y) at input (1, 1), channel 0 → 2·(1 + 0.5) = 3
      expect(data[8 * 8 * 3]).toBeCloseTo(3, 5);
      expect(data[0]).toBeCloseTo(2 + 1.5, 5); // first image at input (2, 3): 2 + 0.5·3
      tf.dispose([images, out]);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it('no faces → an empty batch; identical templates → a float copy', () => {
    const image = ramp(50, 50);
    const none = alignFaces(image, [], ARCFACE_112);
    expect(none.shape).toEqual([0, 112, 112, 3]);
    const crops = tf.zeros([2, 112, 112, 3], 'int32') as tf.Tensor4D;
    const same = realignCrops(crops, ARCFACE_112, ARCFACE_112);
    expect(same.dtype).toBe('float32');
    expect(same.shape).toEqual([2, 112, 112, 3]);
    const other = realignCrops(crops, ARCFACE_112, dlibChipTemplate(150));
    expect(other.shape).toEqual([2, 150, 150, 3]);
    tf.dispose([image, none, crops, same, other]);
  });

  it('a face whose crop sees no image pixel comes out black', async () => {
    const image = ramp(50, 50);
    const far = ARCFACE_112.points.map((p) => applySimilarity(similarity(0.5, 0, 500, 500), p));
    const inside = ARCFACE_112.points.map((p) => applySimilarity(similarity(0.3, 0, 5, 5), p));
    const crops = alignFaces(image, [far, inside], ARCFACE_112);
    const [a, b] = [
      await tf.max(tf.slice(crops, [0], [1])).data(),
      await tf.max(tf.slice(crops, [1], [1])).data(),
    ];
    expect(a[0]).toBe(0);
    expect(b[0]).toBeGreaterThan(0);
    tf.dispose([image, crops]);
  });

  it('leaves no tensors behind', () => {
    const image = ramp(100, 100);
    const before = tf.memory().numTensors;
    const face = ARCFACE_112.points.map((p) => applySimilarity(similarity(0.3, 0, 30, 30), p));
    for (let i = 0; i < 3; i++) alignFaces(image, [face, face], ARCFACE_112).dispose();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });
});
