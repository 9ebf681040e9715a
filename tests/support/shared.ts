/**
 * Paths to the read-only ../shared folder (photos and numeric oracles) and to the generated models.
 * Tests that need ../shared skip with a clear message when it is missing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelFileReader } from '../../src/pipeline/models/load-model.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(projectRoot, '../shared');
export const facesDir = join(sharedDir, 'data/faces');
export const fixturesDir = join(sharedDir, 'fixtures');
export const hasShared = existsSync(join(fixturesDir, 'README.md')) && existsSync(facesDir);
export const SHARED_MISSING = `../shared not found at ${sharedDir}: tests that need real photos and oracles are skipped`;

if (!hasShared) console.warn(`SKIP: ${SHARED_MISSING}`);

export const modelsDir = join(projectRoot, 'public/models');

/** Reads generated model files from public/models. */
export const readModelFile: ModelFileReader = async (path) => {
  const bytes = await readFile(join(modelsDir, path));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
