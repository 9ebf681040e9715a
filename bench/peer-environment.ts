/**
 * face-api decides at import whether it runs on a page (DOM) or in Node, and in a worker it is
 * neither: every call then fails with "getEnv - environment is not defined". This gives it the
 * worker's equivalents — OffscreenCanvas, the worker's fetch — and element classes that nothing is
 * an instance of, so inputs are always treated as the tensors they are.
 */
import type * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';

type Environment = faceapi.Environment;

/** Stands in for HTMLImageElement / HTMLVideoElement, which workers do not have. */
class NoElement {}

const unavailable = (what: string) => () => {
  throw new Error(`${what} is not available in the bench worker`);
};

export function workerEnvironment(): Environment {
  return {
    Canvas: OffscreenCanvas as unknown as Environment['Canvas'],
    CanvasRenderingContext2D:
      OffscreenCanvasRenderingContext2D as unknown as Environment['CanvasRenderingContext2D'],
    Image: NoElement as unknown as Environment['Image'],
    ImageData,
    Video: NoElement as unknown as Environment['Video'],
    createCanvasElement: () => new OffscreenCanvas(1, 1) as unknown as HTMLCanvasElement,
    createImageElement: unavailable('<img>'),
    createVideoElement: unavailable('<video>'),
    fetch: (url, init) => fetch(url, init),
    readFile: unavailable('readFile'),
  };
}
