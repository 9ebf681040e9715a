import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeWebglBackend } from './fake-webgl-backend.ts';
import { freeTextureBytes, trimWebglTextures } from './webgl-textures.ts';

const MB = 1024 * 1024;

/** tfjs-webgl's TextureManager as webgl-textures.ts sees it: a pool of freed textures by shape. */
function fakeTextureManager() {
  return {
    freeTextures: {
      '100_100_3': [{ texture: { id: 1 } as WebGLTexture }, { texture: { id: 2 } as WebGLTexture }],
      '50_50_3': [{ texture: { id: 3 } as WebGLTexture }],
    } as Record<string, { texture: WebGLTexture }[]>,
    numFreeTextures: 3,
    _numBytesAllocated: 500 * MB,
    _numBytesFree: 300 * MB,
    gpgpu: { deleteMatrixTexture: vi.fn<(texture: WebGLTexture) => void>() },
  };
}

class FakeWebglBackend extends tf.KernelBackend {
  readonly textureManager = fakeTextureManager();
  override dispose(): void {}
}

describe('webgl texture pool bound', () => {
  const fake = useFakeWebglBackend(() => new FakeWebglBackend());
  let backend: FakeWebglBackend;

  beforeEach(() => {
    backend = fake();
  });

  it('reports the free bytes', () => {
    expect(freeTextureBytes()).toBe(300 * MB);
  });

  it('keeps the pool while its free textures are within the budget', () => {
    expect(trimWebglTextures(300 * MB)).toBe(0);
    expect(backend.textureManager.numFreeTextures).toBe(3);
    expect(backend.textureManager.gpgpu.deleteMatrixTexture).not.toHaveBeenCalled();
  });

  it('over the budget, deletes every free texture on the GL side and keeps the books right', () => {
    expect(trimWebglTextures(256 * MB)).toBe(3);
    const manager = backend.textureManager;
    expect(manager.gpgpu.deleteMatrixTexture.mock.calls.map(([t]) => (t as { id: number }).id)).toEqual([
      1, 2, 3,
    ]);
    expect(Object.values(manager.freeTextures).flat()).toEqual([]);
    expect(manager.numFreeTextures).toBe(0);
    expect(manager._numBytesFree).toBe(0);
    // The textures still in use (500 − 300 MB) stay allocated.
    expect(manager._numBytesAllocated).toBe(200 * MB);
  });

  it('does nothing off WebGL', async () => {
    await tf.setBackend('cpu');
    expect(freeTextureBytes()).toBeNull();
    expect(trimWebglTextures(0)).toBe(0);
  });
});
