/**
 * A bound on tfjs-webgl's pool of freed textures, applied between photos.
 *
 * tfjs keeps every freed texture for reuse, keyed by its shape, and by default never deletes one.
 * MTCNN's shapes change with every photo size (pyramid levels) and candidate count (R-/O-Net
 * batches), so a long batch of mixed photos fills the pool with textures of sizes seen once
 * (measured on SwiftShader: 61 MB after start, 2,545 MB after 12 photos). tfjs's own bound,
 * `WEBGL_DELETE_TEXTURE_THRESHOLD`, is the wrong tool: once that many bytes are allocated, every
 * texture freed is deleted instead of pooled, so the pool's stale sizes stay forever and each op of
 * the next photo creates and deletes its textures. (It was not what made later photos slow on
 * SwiftShader: with this trim instead, `bbt1.jpg` after a 2048 px portrait still took 19.6 s against
 * 21.6 s; shader recompiles were the cause, docs/backends.md.) Instead, the pool works untouched
 * during a photo, and between photos, when the free textures hold more than a budget, all of them
 * are deleted: a batch of same-size photos (a kiosk's frames) keeps reusing its textures, a mixed
 * batch starts each new size from an empty pool.
 *
 * This reaches into the backend's private `textureManager` (tfjs is pinned, 4.22.0); if it is missing
 * the functions report null / 0 and change nothing.
 */
import * as tf from '@tensorflow/tfjs-core';

interface PooledTexture {
  readonly texture: WebGLTexture;
}

interface TextureManagerInternals {
  freeTextures: Record<string, PooledTexture[]> | null;
  numFreeTextures: number;
  _numBytesAllocated: number;
  _numBytesFree: number;
  readonly gpgpu: { deleteMatrixTexture(texture: WebGLTexture): void };
}

function textureManager(): TextureManagerInternals | null {
  if (tf.getBackend() !== 'webgl') return null;
  const manager = (tf.backend() as unknown as { textureManager?: TextureManagerInternals }).textureManager;
  return manager?.freeTextures == null ? null : manager;
}

/**
 * Free (pooled, unused) texture bytes kept between photos before the pool is emptied. One photo's
 * intermediates fit (a 1280 px group shot leaves ~100–200 MB), so same-size photos keep theirs.
 */
export const MAX_FREE_TEXTURE_BYTES = 256 * 1024 * 1024;

/** Bytes held by pooled, unused textures in the active WebGL backend; null off WebGL. */
export function freeTextureBytes(): number | null {
  return textureManager()?._numBytesFree ?? null;
}

/**
 * When the pool's free textures hold more than `maxFreeBytes`, deletes all of them (on the GL side
 * too, as tfjs's own dispose does) and returns how many; textures in use are never touched. Call
 * between photos, when nothing is running on the backend.
 */
export function trimWebglTextures(maxFreeBytes: number = MAX_FREE_TEXTURE_BYTES): number {
  const manager = textureManager();
  if (manager === null || manager.freeTextures === null) return 0;
  if (manager._numBytesFree <= maxFreeBytes) return 0;
  let deleted = 0;
  for (const pooled of Object.values(manager.freeTextures)) {
    for (const { texture } of pooled.splice(0)) {
      manager.gpgpu.deleteMatrixTexture(texture);
      deleted++;
    }
  }
  manager._numBytesAllocated -= manager._numBytesFree;
  manager._numBytesFree = 0;
  manager.numFreeTextures = 0;
  return deleted;
}
