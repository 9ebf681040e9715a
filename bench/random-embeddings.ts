/** Deterministic random unit vectors (seeded), so every backend and run searches the same gallery. */

/** mulberry32: a small, fast 32-bit PRNG; plenty for benchmark data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` rows of `dim` unit-length float32 values, row-major in one buffer. */
export function randomUnitRows(count: number, dim: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(count * dim);
  for (let row = 0; row < count; row++) {
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      // Box–Muller: normal coordinates make the direction uniform on the sphere.
      const v = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      out[row * dim + i] = v;
      norm += v * v;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[row * dim + i] = (out[row * dim + i] as number) * scale;
  }
  return out;
}

/** Row `index` of a row-major buffer, as a view. */
export const rowView = (rows: Float32Array, dim: number, index: number): Float32Array =>
  rows.subarray(index * dim, (index + 1) * dim);
