/**
 * The peer, @vladmandic/face-api 1.7.15: SSD MobileNet v1 (or the Tiny detector) + 68-point
 * landmarks + 128-d descriptor for every face, through its own composed task
 * `detectAllFaces(…).withFaceLandmarks().withFaceDescriptors()` and its default options.
 *
 * Its "nobundle" ESM build imports @tensorflow/tfjs and the WebGL/WASM backends by package name, so
 * Vite resolves them to the very modules FaceCheck uses: one tfjs engine, one backend, one set of
 * flags for both. The input is an int32 [H, W, 3] tensor, what face-api's own browser path
 * (tf.browser.fromPixels) produces.
 */

import * as tf from '@tensorflow/tfjs-core';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import type { RgbImage } from '../src/pipeline/image.ts';
import { workerEnvironment } from './peer-environment.ts';
import type { PhotoEngine } from './photo-engine.ts';
import type { PeerEngineName } from './protocol.ts';
import type { StageClock } from './stage-clock.ts';

type PeerNet =
  | faceapi.SsdMobilenetv1
  | faceapi.TinyFaceDetector
  | faceapi.FaceLandmark68Net
  | faceapi.FaceRecognitionNet;

/** face-api's types bundle their own copy of the tfjs declarations: same runtime objects. */
type PeerInput = Parameters<typeof faceapi.detectAllFaces>[0];

/**
 * Start and end of each stage within one photo. face-api runs landmarks and descriptors for all
 * faces concurrently (Promise.all), so a stage's time is the span from its first call's start to
 * its last call's end, not the sum of the calls.
 */
function createSpans() {
  const spans = new Map<string, { start: number; end: number }>();
  return {
    reset: () => spans.clear(),
    record(stage: string, start: number, end: number) {
      const span = spans.get(stage);
      spans.set(
        stage,
        span === undefined
          ? { start, end }
          : { start: Math.min(span.start, start), end: Math.max(span.end, end) },
      );
    },
    durations: () => [...spans].map(([stage, { start, end }]) => [stage, end - start] as const),
  };
}

/**
 * Replaces `object[method]` with a wrapper recording its span under `stage`. face-api's tasks call
 * the nets through the shared `faceapi.nets` instances, so the wrapper sees every call.
 */
function timeMethod<T extends object, K extends keyof T>(
  object: T,
  method: K,
  stage: string,
  spans: ReturnType<typeof createSpans>,
): void {
  const original = object[method];
  if (typeof original !== 'function') throw new Error(`face-api: ${String(method)} is not a method`);
  const wrapped = async (...args: unknown[]) => {
    const start = performance.now();
    try {
      return await original.apply(object, args);
    } finally {
      spans.record(stage, start, performance.now());
    }
  };
  object[method] = wrapped as T[K];
}

/** face-api's own loader (manifest, then shards through tf.io), timed. */
async function loadNet(net: PeerNet, modelsUrl: string): Promise<number> {
  const started = performance.now();
  await net.loadFromUri(modelsUrl);
  return performance.now() - started;
}

export async function createPeerEngine(engine: PeerEngineName, modelsUrl: string): Promise<PhotoEngine> {
  faceapi.env.setEnv(workerEnvironment());
  const { nets } = faceapi;
  const ssd = engine === 'faceapi-ssd';
  const detector = ssd ? nets.ssdMobilenetv1 : nets.tinyFaceDetector;
  const modelLoadMs = {
    [ssd ? 'ssd_mobilenetv1' : 'tiny_face_detector']: await loadNet(detector, modelsUrl),
    face_landmark_68: await loadNet(nets.faceLandmark68Net, modelsUrl),
    face_recognition: await loadNet(nets.faceRecognitionNet, modelsUrl),
  };
  const spans = createSpans();
  timeMethod(detector, 'locateFaces', 'detect', spans);
  timeMethod(nets.faceLandmark68Net, 'detectLandmarks', 'landmarks', spans);
  timeMethod(nets.faceRecognitionNet, 'computeFaceDescriptor', 'descriptor', spans);
  const options = ssd ? new faceapi.SsdMobilenetv1Options() : new faceapi.TinyFaceDetectorOptions();

  const analyze = async (image: RgbImage, clock: StageClock): Promise<number> => {
    const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    clock.lap('upload');
    spans.reset();
    try {
      const results = await faceapi
        .detectAllFaces(input as unknown as PeerInput, options)
        .withFaceLandmarks()
        .withFaceDescriptors();
      // 'other': what the wrapped nets do not cover (face crops, alignment, bookkeeping).
      clock.lapSplit(spans.durations(), 'other');
      clock.count('faces', results.length);
      return results.length;
    } finally {
      input.dispose();
    }
  };
  // face-api's nets are all loaded before ready.
  return { modelLoadMs, settled: async () => ({ warmUpMs: null }), analyze };
}
