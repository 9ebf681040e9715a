/**
 * Watches the WebGL context tfjs computes on, inside the worker. A lost context (GPU reset, driver
 * update, the browser reclaiming contexts) takes every weight texture with it, and tfjs does not
 * always throw: reads from a lost context can return zeros, i.e. a plausible "no face" result. So
 * the loss is detected here, both from the `webglcontextlost` event and by asking the context, and
 * the engine throws GpuContextLostError instead of returning results computed on it.
 */
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';

export interface GpuWatch {
  /** True once the context was lost, even if the browser has restored it since (textures are gone). */
  isLost(): boolean;
  /** Calls `listener` once, when the loss is noticed (at once if it already was). */
  onLost(listener: () => void): void;
  /** Test-only: loses the context through WEBGL_lose_context, as a GPU reset would. */
  loseForTest(): boolean;
}

/** Watches the active backend's GL context; null when the active backend is not WebGL. */
export function watchGpuContext(): GpuWatch | null {
  if (tf.getBackend() !== 'webgl') return null;
  const { gl } = (tf.backend() as MathBackendWebGL).gpgpu;
  let lost = false;
  const listeners: (() => void)[] = [];
  const noticeLoss = () => {
    if (lost) return;
    lost = true;
    for (const listener of listeners.splice(0)) listener();
  };
  // OffscreenCanvas in the worker; an HTMLCanvasElement would also do. tfjs adds its own listener.
  (gl.canvas as EventTarget).addEventListener('webglcontextlost', noticeLoss);
  return {
    isLost() {
      if (!lost && gl.isContextLost()) noticeLoss();
      return lost;
    },
    onLost(listener) {
      if (this.isLost()) listener();
      else listeners.push(listener);
    },
    loseForTest() {
      const extension = gl.getExtension('WEBGL_lose_context');
      extension?.loseContext();
      return extension !== null;
    },
  };
}
