/** Reads the generated models from public/models on disk (Node benchmarks). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFileReader } from '../../src/pipeline/models/load-model.ts';
import { projectRoot } from './photos.ts';

export const readModelFile: ModelFileReader = async (path) => {
  const bytes = await readFile(join(projectRoot, 'public/models', path));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};
