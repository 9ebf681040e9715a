/** Creates any registered embedder by id. */
import type { EmbedderId } from '../../models/embedders.ts';
import type { ModelFileReader } from '../models/load-model.ts';
import type { Embedder, EmbedderOptions } from './embedder.ts';
import { createFaceRecognitionNet } from './face-recognition-net.ts';
import { createMobileFaceNet } from './mobilefacenet.ts';

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
