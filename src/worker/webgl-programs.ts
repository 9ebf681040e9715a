/**
 * A bound on tfjs-webgl's cache of compiled shader programs.
 *
 * tfjs compiles one program per op and input shape and keeps every one (with its shader source) for
 * the backend's lifetime; it offers no eviction. MTCNN's shapes change with every photo size (pyramid
 * levels) and candidate count (R-/O-Net batches), so a long batch of mixed photos adds programs with
 * nearly every photo: measured on SwiftShader, the worker's heap grew 9 → 23.5 MB over 5 new photo
 * sizes, and would keep growing through a 1,000-photo batch. Between photos, once the cache holds
 * more than a limit, the oldest programs are deleted, and a photo that needs one again compiles it
 * again (milliseconds per program on a GPU; 0.2–0.9 s on SwiftShader, where the app uses WASM).
 *
 * This reaches into the backend's private `binaryCache` and `gpgpu` (tfjs is pinned, 4.22.0); if
 * they are missing the functions report null / 0 and change nothing.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WebglBackendInternals {
  readonly binaryCache?: Record<string, { readonly webGLProgram: WebGLProgram }>;
  readonly gpgpu?: { deleteProgram(program: WebGLProgram): void };
}

function webglInternals(): WebglBackendInternals | null {
  if (tf.getBackend() !== 'webgl') return null;
  return tf.backend() as unknown as WebglBackendInternals;
}

/**
 * Programs kept before the oldest are deleted. tfjs compiles one per op and input shape, so each
 * new photo size adds programs for its pyramid levels (R-/O-Net and embedder batches are bucketed,
 * batch-buckets.ts): measured 478 after the bench's first photo and 2,691 after its 10
 * (docs/benchmarks.md), ~8.5 KB of worker heap each. The bound caps them near 34 MB, lets those 10
 * photos run without a trim, and keeps a batch of same-size camera photos from ever reaching it.
 */
export const MAX_WEBGL_PROGRAMS = 4000;

/** Compiled programs in the active WebGL backend's cache; null off WebGL. */
export function webglProgramCount(): number | null {
  const cache = webglInternals()?.binaryCache;
  return cache === undefined ? null : Object.keys(cache).length;
}

/**
 * Once more than `limit` programs are cached, deletes the oldest until half the limit remain (on the
 * GL side too, as tfjs's own `dispose()` does); returns how many were deleted. The cache is a plain
 * object, so its keys come in compile order: the programs of the photos seen longest ago go first,
 * and one still in use is simply compiled again. Halving, not trimming to the limit, leaves room
 * for several photos before the next trim. Call between photos.
 */
export function trimWebglPrograms(limit: number = MAX_WEBGL_PROGRAMS): number {
  const backend = webglInternals();
  const cache = backend?.binaryCache;
  const gpgpu = backend?.gpgpu;
  if (cache === undefined || gpgpu === undefined) return 0;
  const keys = Object.keys(cache);
  if (keys.length <= limit) return 0;
  const oldest = keys.slice(0, keys.length - Math.floor(limit / 2));
  for (const key of oldest) {
    const binary = cache[key];
    if (binary !== undefined) gpgpu.deleteProgram(binary.webGLProgram);
    delete cache[key];
  }
  return oldest.length;
}
