/**
 * Missing and damaged model files (issue 9, faults): the worker's loader and the CLI name the model
 * and the fix (`npm run models`) instead of crashing or, worse, loading garbage weights. Each case
 * works on a temporary copy of public/models with one file removed, truncated or overwritten.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { modelFileReader } from '../../src/cli/files.ts';
import { main } from '../../src/cli/main.ts';
import { loadGraphModel } from '../../src/pipeline/models/load-model.ts';
import { indexVerifiedReader } from '../../src/pipeline/models/verified-reader.ts';
import { describeError } from '../../src/state/engine-store.ts';
import { loadModels } from '../../src/worker/model-store.ts';
import { modelsDir } from '../support/shared.ts';

const hasModels = existsSync(join(modelsDir, 'index.json'));
const MODELS_MISSING = `${modelsDir}/index.json not found: run \`npm run models\` first`;

const FIX = /Run `npm run models` to regenerate public\/models\./;

/** A fresh copy of public/models, damaged by `damage(dir)`; removed after the test. */
function damagedCopy(damage: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'facecheck-models-'));
  cpSync(modelsDir, dir, { recursive: true });
  damage(dir);
  copies.push(dir);
  return dir;
}
const copies: string[] = [];

const truncate = (path: string) => {
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
};
/** Same length, wrong bytes: tfjs alone would load this without a word. */
const scramble = (path: string) => writeFileSync(path, Buffer.alloc(readFileSync(path).length, 0x3f));

/** The message `loadModels` (the worker's loader) fails with, and the model it reported. */
async function workerLoadFailure(dir: string): Promise<{ message: string; failed: string[] }> {
  const failed: string[] = [];
  const error = await loadModels(modelFileReader(dir), (p) => {
    if (p.kind === 'model-failed') failed.push(p.id);
  }).then(
    (models) => {
      models.dispose();
      throw new Error('the damaged models loaded');
    },
    (e: unknown) => e,
  );
  return { message: error instanceof Error ? error.message : String(error), failed };
}

describe.skipIf(!hasModels)(`damaged public/models${hasModels ? '' : ` — ${MODELS_MISSING}`}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a missing model file names the model, the file and the fix', async () => {
    const dir = damagedCopy((d) => rmSync(join(d, 'onet/model.json')));
    const { message, failed } = await workerLoadFailure(dir);
    expect(failed).toEqual(['onet']);
    expect(message).toMatch(/^Model "onet" could not be loaded \(.*onet\/model\.json/);
    expect(message).toMatch(FIX);
    // The page shows it as the model's error with the command as its own line.
    const shown = describeError(Object.assign(new Error(message), { name: 'ModelLoadError' }), 'onet');
    expect(shown).toEqual({
      message: expect.not.stringMatching(FIX),
      modelId: 'onet',
      fixCommand: 'npm run models',
    });
  });

  it('a truncated weight file is reported as truncated', async () => {
    const dir = damagedCopy((d) => truncate(join(d, 'rnet/group1-shard1of1.bin')));
    const { message, failed } = await workerLoadFailure(dir);
    expect(failed).toEqual(['rnet']);
    expect(message).toMatch(/Model "rnet" could not be loaded \(rnet\/group1-shard1of1\.bin is \d+ bytes/);
    expect(message).toMatch(/truncated/);
    expect(message).toMatch(FIX);
  });

  it('a weight file of the right size with the wrong bytes is refused, not loaded', async () => {
    const dir = damagedCopy((d) => scramble(join(d, 'pnet/group1-shard1of1.bin')));
    const { message, failed } = await workerLoadFailure(dir);
    expect(failed).toEqual(['pnet']);
    expect(message).toMatch(/Model "pnet" could not be loaded \(pnet\/group1-shard1of1\.bin does not match/);
    expect(message).toMatch(/corrupt/);
    // The same check guards the pipeline loader the CLI uses.
    await expect(loadGraphModel('pnet', indexVerifiedReader(modelFileReader(dir)))).rejects.toThrow(
      /corrupt.*npm run models/,
    );
  });

  it('the CLI prints the model, the problem and the fix, and exits 2', async () => {
    const dir = damagedCopy((d) => truncate(join(d, 'pnet/group1-shard1of1.bin')));
    const errors: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    vi.stubEnv('FACECHECK_MODELS_DIR', dir);
    try {
      const code = await main(['detect', join(dir, 'no-photo-needed.jpg')]);
      expect(code).toBe(2);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(errors.join('\n')).toMatch(/^facecheck: Model "pnet" could not be loaded \(.*truncated\)/);
    expect(errors.join('\n')).toMatch(FIX);
  });

  it('a damaged background model leaves the engine ready and fails only the calls that need it', async () => {
    const dir = damagedCopy((d) => truncate(join(d, 'facerecognitionnet/face_recognition_model.bin')));
    const progress: string[] = [];
    const models = await loadModels(modelFileReader(dir), (p) => {
      if (p.kind === 'model-loaded') progress.push(`loaded ${p.model.id}`);
      if (p.kind === 'model-failed') progress.push(`failed ${p.id}`);
    });
    try {
      // Ready with the models of the first photo; the background ones follow.
      expect(progress).toEqual(['loaded pnet', 'loaded rnet', 'loaded onet', 'loaded mobilefacenet']);
      // settled() waits for every background load, and a failed one does not make it reject.
      await models.settled();
      expect(progress.slice(4)).toEqual(['loaded antispoof', 'failed facerecognitionnet']);
      await expect(models.embedder('facerecognitionnet')).rejects.toThrow(/truncated/);
      expect((await models.embedder('mobilefacenet')).id).toBe('mobilefacenet');
      expect((await models.graph('antispoof')).outputs.length).toBeGreaterThan(0);
      expect(progress.slice(4)).toEqual(['loaded antispoof', 'failed facerecognitionnet']);
      expect(models.info.map((m) => m.id)).toEqual(['pnet', 'rnet', 'onet', 'mobilefacenet', 'antispoof']);
    } finally {
      models.dispose();
    }
  });
});
