/**
 * 2-D similarity transforms (rotation, uniform scale, translation) and Umeyama's least-squares
 * estimate of one from point correspondences. Pure TypeScript, no tensors.
 *
 * Umeyama (1991, "Least-squares estimation of transformation parameters between two point
 * patterns") minimises Σ‖dᵢ − (c·R·sᵢ + t)‖² over rotations R (det R = +1, never a reflection),
 * scales c > 0 and translations t. In 2-D the SVD of the 2×2 cross-covariance has a closed form:
 * with centred points and Σ = Σᵢ dᵢ·sᵢᵀ = [[p, q], [r, s]],
 *   tr(D·S) = √((p + s)² + (r − q)²)   (= d₁ + d₂ if det Σ ≥ 0, d₁ − d₂ otherwise: Umeyama's S),
 *   c·cos θ = (p + s) / Σ‖sᵢ‖²,  c·sin θ = (r − q) / Σ‖sᵢ‖²,
 * which is what `umeyama` computes. It is the same estimate as skimage's
 * `SimilarityTransform.estimate` (insightface's `norm_crop`) and OpenCV's
 * `estimateAffinePartial2D` without RANSAC.
 */

export type Point = readonly [number, number];

/**
 * x' = a·x − b·y + tx,  y' = b·x + a·y + ty, i.e. [[a, −b, tx], [b, a, ty]].
 * a = scale·cos θ, b = scale·sin θ.
 */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

export function applySimilarity(m: Similarity, [x, y]: Point): Point {
  return [m.a * x - m.b * y + m.tx, m.b * x + m.a * y + m.ty];
}

/** Scale factor (output length per input length). */
export function similarityScale(m: Similarity): number {
  return Math.hypot(m.a, m.b);
}

/** Rotation angle in radians (counter-clockwise in a y-up frame; clockwise on screen). */
export function similarityAngle(m: Similarity): number {
  return Math.atan2(m.b, m.a);
}

export function invertSimilarity(m: Similarity): Similarity {
  const det = m.a * m.a + m.b * m.b;
  if (!(det > 0)) throw new Error('similarity transform is singular (scale 0)');
  const a = m.a / det;
  const b = -m.b / det;
  // inverse translation: −R⁻¹·t
  return { a, b, tx: -(a * m.tx - b * m.ty), ty: -(b * m.tx + a * m.ty) };
}

/** Composition: first `first`, then `second`. */
export function composeSimilarity(second: Similarity, first: Similarity): Similarity {
  return {
    a: second.a * first.a - second.b * first.b,
    b: second.b * first.a + second.a * first.b,
    tx: second.a * first.tx - second.b * first.ty + second.tx,
    ty: second.b * first.tx + second.a * first.ty + second.ty,
  };
}

/**
 * Least-squares similarity mapping `src` points onto `dst` points (Umeyama, no reflection).
 * Needs ≥ 2 distinct source points.
 */
export function umeyama(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n !== dst.length) throw new Error(`umeyama: ${n} source points but ${dst.length} destination points`);
  if (n < 2) throw new Error('umeyama: need at least 2 point pairs');
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    const s = src[i] as Point;
    const d = dst[i] as Point;
    msx += s[0];
    msy += s[1];
    mdx += d[0];
    mdy += d[1];
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  let dot = 0; // Σ (dx·sx + dy·sy) = p + s
  let cross = 0; // Σ (dy·sx − dx·sy) = r − q
  let norm = 0; // Σ ‖s‖²
  for (let i = 0; i < n; i++) {
    const s = src[i] as Point;
    const d = dst[i] as Point;
    const sx = s[0] - msx;
    const sy = s[1] - msy;
    const dx = d[0] - mdx;
    const dy = d[1] - mdy;
    dot += dx * sx + dy * sy;
    cross += dy * sx - dx * sy;
    norm += sx * sx + sy * sy;
  }
  if (!(norm > 0)) throw new Error('umeyama: source points are all identical');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: mdx - (a * msx - b * msy), ty: mdy - (b * msx + a * msy) };
}
