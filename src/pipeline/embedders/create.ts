/** Creates any registered embedder by id. */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { EmbedderId } from '../../models/embedders.ts';
import type { ModelFileReader } from '../models/load-model.ts';
import type { Embedder, EmbedderOptions } from './embedder.ts';
import { createFaceRecognitionNet } from './face-recognition-net.ts';
import { createMobileFaceNet, mobileFaceNetFromGraph } from './mobilefacenet.ts';

/** Loads the embedder's weights through `read`; the embedder owns them. */
export function createEmbedder(
  id: EmbedderId,
  read: ModelFileReader,
  options: EmbedderOptions = {},
): Promise<Embedder> {
  switch (id) {
    case 'mobilefacenet':
      return createMobileFaceNet(read, options);
    case 'facerecognitionnet':
      return createFaceRecognitionNet(read, options);
  }
}

/**
 * A graph-format embedder on its already-loaded GraphModel, which stays the caller's. Weights-format
 * embedders have no graph: build them with createEmbedder or faceRecognitionNetFromWeights.
 */
export function embedderFromGraph(
  id: EmbedderId,
  graph: GraphModel,
  options: EmbedderOptions = {},
): Embedder {
  switch (id) {
    case 'mobilefacenet':
      return mobileFaceNetFromGraph(graph, options);
    case 'facerecognitionnet':
      throw new Error('facerecognitionnet is a weights-format model, not a graph');
  }
}
