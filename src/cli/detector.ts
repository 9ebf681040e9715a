/** The CLI's handle on the MTCNN face detector (src/pipeline/mtcnn). */

import type { ModelFileReader } from '../pipeline/models/load-model.ts';
import { createFaceDetector, type FaceDetector } from '../pipeline/mtcnn/index.ts';

export type CliDetector = FaceDetector;

export function loadDetector(read: ModelFileReader): Promise<CliDetector> {
  return createFaceDetector(read);
}
