import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeWebglBackend } from './fake-webgl-backend.ts';
import { trimWebglPrograms, webglProgramCount } from './webgl-programs.ts';

/** Stands in for tfjs-webgl's backend: only the two internals webgl-programs.ts relies on. */
class FakeWebglBackend extends tf.KernelBackend {
  readonly binaryCache: Record<string, { webGLProgram: WebGLProgram }> = {};
  readonly gpgpu = { deleteProgram: vi.fn<(program: WebGLProgram) => void>() };
  override dispose(): void {}
}

describe('webgl program cache bound', () => {
  const fake = useFakeWebglBackend(() => new FakeWebglBackend());
  let backend: FakeWebglBackend;

  beforeEach(() => {
    backend = fake();
    for (let i = 0; i < 5; i++) backend.binaryCache[`program ${i}`] = { webGLProgram: { i } as WebGLProgram };
  });

  it('counts the cached programs', () => {
    expect(webglProgramCount()).toBe(5);
  });

  it('keeps the cache while it is within the limit', () => {
    expect(trimWebglPrograms(5)).toBe(0);
    expect(webglProgramCount()).toBe(5);
    expect(backend.gpgpu.deleteProgram).not.toHaveBeenCalled();
  });

  it('once over the limit, deletes the oldest programs, on the GL side too, down to half the limit', () => {
    expect(trimWebglPrograms(4)).toBe(3);
    expect(Object.keys(backend.binaryCache)).toEqual(['program 3', 'program 4']);
    expect(backend.gpgpu.deleteProgram.mock.calls).toEqual([[{ i: 0 }], [{ i: 1 }], [{ i: 2 }]]);
  });

  it('keeps nothing when the limit is 0 or 1', () => {
    expect(trimWebglPrograms(1)).toBe(5);
    expect(webglProgramCount()).toBe(0);
  });

  it('does nothing on other backends', async () => {
    await tf.setBackend('cpu');
    expect(webglProgramCount()).toBeNull();
    expect(trimWebglPrograms(0)).toBe(0);
    expect(Object.keys(backend.binaryCache)).toHaveLength(5);
  });
});
