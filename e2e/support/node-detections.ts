/**
 * The Node side of the browser-vs-Node detector and embedding comparisons: the same pipeline code, run in the
 * Playwright test process on tfjs's WASM backend, on photos decoded by src/io/node-image.ts (sharp,
 * ICC ignored, as the worker decodes with colorSpaceConversion 'none').
 */
import '@tensorflow/tfjs-backend-wasm';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { decodeImageFile } from '../../src/io/node-image.ts';
import type { EmbedderId } from '../../src/models/embedders.ts';
import { createEmbedder } from '../../src/pipeline/embedders/create.ts';
import { analyzeImage } from '../../src/pipeline/face-pipeline.ts';
import type { ModelFileReader } from '../../src/pipeline/models/load-model.ts';
import { createFaceDetector, type DetectedFace } from '../../src/pipeline/mtcnn/index.ts';

const readModelFileFrom =
  (modelsDir: string): ModelFileReader =>
  async (path) => {
    const bytes = await readFile(join(modelsDir, path));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };

/** Detections of every photo (paths relative to `facesDir`), default detector config, in order. */
export async function detectInNode(
  projectRoot: string,
  facesDir: string,
  photos: readonly string[],
): Promise<DetectedFace[][]> {
  setWasmPaths(`${join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs WASM backend failed to start in Node');
  await tf.ready();
  const detector = await createFaceDetector(readModelFileFrom(join(projectRoot, 'public/models')));
  try {
    const results: DetectedFace[][] = [];
    for (const photo of photos)
      results.push(await detector.detect(await decodeImageFile(join(facesDir, photo))));
    return results;
  } finally {
    detector.dispose();
  }
}

/** What the browser-vs-Node embedding comparison needs of one face. */
export interface NodeFaceEmbedding {
  readonly box: readonly number[];
  readonly embedding: Float32Array;
}

/**
 * Faces of every photo with their embeddings, as the app's worker analyses them
 * (default detector, largest face first), on tfjs WASM in Node.
 */
export async function embedInNode(
  projectRoot: string,
  facesDir: string,
  photos: readonly string[],
  embedderId: EmbedderId,
): Promise<NodeFaceEmbedding[][]> {
  setWasmPaths(`${join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs WASM backend failed to start in Node');
  await tf.ready();
  const readFile = readModelFileFrom(join(projectRoot, 'public/models'));
  const detector = await createFaceDetector(readFile);
  const embedder = await createEmbedder(embedderId, readFile);
  try {
    const results: NodeFaceEmbedding[][] = [];
    for (const photo of photos) {
      const faces = await analyzeImage(await decodeImageFile(join(facesDir, photo)), detector, embedder, {
        crops: false,
      });
      results.push(faces.map((f) => ({ box: f.box, embedding: f.embedding })));
    }
    return results;
  } finally {
    detector.dispose();
    embedder.dispose();
  }
}
