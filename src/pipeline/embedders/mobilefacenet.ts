/**
 * MobileFaceNet (192-d): the converted .tflite graph (src/models/specs.ts `mobilefacenet`), fed
 * 112×112 ArcFace-aligned RGB crops normalised to (x − 127.5) / 128; output L2-normalised, compared
 * by cosine distance.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type ModelFileReader, outputsOf } from '../models/load-model.ts';
import { createEmbedderFromNetwork, type Embedder, type EmbedderOptions } from './embedder.ts';

/** Loads the graph through `read`; the embedder owns it (dispose() frees it). */
export async function createMobileFaceNet(
  read: ModelFileReader,
  options: EmbedderOptions = {},
): Promise<Embedder> {
  const model = await loadGraphModel('mobilefacenet', read);
  return embedderOnGraph(model, options, () => model.dispose());
}

/**
 * MobileFaceNet on a graph someone else already loaded (the browser worker also runs it through
 * `runModel`). The graph stays the caller's: dispose() does not free it.
 */
export function mobileFaceNetFromGraph(graph: GraphModel, options: EmbedderOptions = {}): Embedder {
  return embedderOnGraph(graph, options, () => {});
}

function embedderOnGraph(graph: GraphModel, options: EmbedderOptions, disposeGraph: () => void): Embedder {
  const output = outputsOf('mobilefacenet').embedding;
  const network = (x: tf.Tensor4D) => graph.execute(x, output) as tf.Tensor2D;
  return createEmbedderFromNetwork('mobilefacenet', network, disposeGraph, options);
}
