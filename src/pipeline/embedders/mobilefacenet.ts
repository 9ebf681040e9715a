/**
 * MobileFaceNet (192-d): the converted .tflite graph (src/models/specs.ts `mobilefacenet`), fed
 * 112×112 ArcFace-aligned RGB crops normalised to (x − 127.5) / 128; output L2-normalised, compared
 * by cosine distance.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type ModelFileReader, outputsOf } from '../models/load-model.ts';
import { createEmbedderFromNetwork, type Embedder, type EmbedderOptions } from './embedder.ts';

export async function createMobileFaceNet(
  read: ModelFileReader,
  options: EmbedderOptions = {},
): Promise<Embedder> {
  const model = await loadGraphModel('mobilefacenet', read);
  const output = outputsOf('mobilefacenet').embedding;
  const network = (x: tf.Tensor4D) => model.execute(x, output) as tf.Tensor2D;
  return createEmbedderFromNetwork('mobilefacenet', network, () => model.dispose(), options);
}
