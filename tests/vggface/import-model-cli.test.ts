/**
 * keras-vggface import end to end through the CLI, the path a user takes: a full-size ResNet-50 weights
 * file with the oracle's procedural weights, written in the exact Keras `save_weights` layout, is imported
 * with `facecheck import-model` into a temporary models folder; `facecheck embed --model vggface2-resnet50
 * --no-detect` on the oracle's deterministic input saved as PNG must reproduce the fixture embedding.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.ts';
import { facesDir, hasShared } from '../support/shared.ts';
import { writeOracleKerasH5 } from './support/keras-h5.ts';
import {
  cosineDistance,
  hasVggfaceFixtures,
  loadOracleFixture,
  type OracleFixture,
  oracleImage,
  relL2,
  VGGFACE_FIXTURES_MISSING,
} from './support/oracle.ts';

describe.skipIf(!hasVggfaceFixtures)(
  `facecheck import-model (keras-vggface)${hasVggfaceFixtures ? '' : ` — ${VGGFACE_FIXTURES_MISSING}`}`,
  () => {
    let dir: string;
    let modelsDir: string;
    let h5: string;
    let png: string;
    let fixture: OracleFixture;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'facecheck-vggface-'));
      modelsDir = join(dir, 'models');
      fixture = loadOracleFixture('resnet50');
      h5 = join(dir, 'rcmalli_vggface_tf_notop_resnet50.h5');
      await writeFile(h5, await writeOracleKerasH5(fixture));
      png = join(dir, 'oracle-input.png');
      await sharp(Buffer.from(oracleImage()), { raw: { width: 224, height: 224, channels: 3 } })
        .png()
        .toFile(png);
    });
    afterAll(async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    const embedJson = async (extra: string[] = []) => {
      const r = await run([
        'embed',
        '--model',
        'vggface2-resnet50',
        '--models-dir',
        modelsDir,
        '--no-detect',
        '--json',
        ...extra,
        png,
      ]);
      expect(r.code, r.err).toBe(0);
      const [file] = JSON.parse(r.out) as { faces: { embedding: number[] }[] }[];
      const embedding = file?.faces[0]?.embedding;
      if (embedding === undefined) throw new Error(`no embedding in ${r.out.slice(0, 200)}`);
      return embedding;
    };

    it('before importing, --model vggface2-resnet50 says how to import it', async () => {
      const r = await run([
        'embed',
        '--model',
        'vggface2-resnet50',
        '--models-dir',
        modelsDir,
        '--no-detect',
        png,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/vggface2-resnet50 is not imported .*facecheck import-model/);
    });

    it('import-model writes model.json + weights.bin and registers the model in imported.json', async () => {
      const r = await run(['import-model', h5, '--models-dir', modelsDir]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(
        /Imported VGGFace2 ResNet-50 \(imported\) from rcmalli_vggface_tf_notop_resnet50\.h5/,
      );
      const index = JSON.parse(await readFile(join(modelsDir, 'imported.json'), 'utf8'));
      expect(index).toMatchObject({
        formatVersion: 1,
        models: [
          { id: 'vggface2-resnet50', storage: 'float32', sourceFile: 'rcmalli_vggface_tf_notop_resnet50.h5' },
        ],
      });
      expect((await stat(join(modelsDir, 'vggface2-resnet50/weights.bin'))).size).toBe(23_561_152 * 4);
      const manifest = JSON.parse(await readFile(join(modelsDir, 'vggface2-resnet50/model.json'), 'utf8'));
      expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    });

    it('embed --model vggface2-resnet50 --no-detect on the PNG reproduces the fixture (rel_l2 ≤ 1e-4)', async () => {
      const embedding = await embedJson();
      const reference = fixture.output.values;
      expect(embedding).toHaveLength(2048);
      const error = relL2(embedding, reference);
      console.info(
        `CLI import → embed: rel_l2 ${error.toExponential(2)}, cosine distance ${cosineDistance(embedding, reference).toExponential(2)}`,
      );
      expect(error).toBeLessThanOrEqual(1e-4);
    });

    it('--float16 re-import replaces the model; the embedding moves by < 1e-2 rel_l2', async () => {
      const r = await run(['import-model', h5, '--float16', '--models-dir', modelsDir, '--json']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ id: 'vggface2-resnet50', storage: 'float16' });
      const index = JSON.parse(await readFile(join(modelsDir, 'imported.json'), 'utf8'));
      expect(index.models).toHaveLength(1);
      expect((await stat(join(modelsDir, 'vggface2-resnet50/weights.bin'))).size).toBe(23_561_152 * 2);
      const error = relL2(await embedJson(), fixture.output.values);
      console.info(`CLI float16 import → embed: rel_l2 ${error.toExponential(2)}`);
      expect(error).toBeGreaterThan(1e-5);
      expect(error).toBeLessThan(1e-2);
    });

    it('a foreign or damaged file is refused with the reason, exit 1, and nothing registered', async () => {
      const foreign = join(dir, 'photo.h5');
      await writeFile(foreign, await readFile(png));
      const r = await run(['import-model', foreign, '--models-dir', join(dir, 'other-models')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/cannot import .*photo\.h5: Not an HDF5 file.*\[not-hdf5\]/);
      const cut = join(dir, 'cut.h5');
      await writeFile(cut, (await readFile(h5)).subarray(0, 5_000_000));
      const t = await run(['import-model', cut, '--models-dir', join(dir, 'other-models')]);
      expect(t.code).toBe(1);
      expect(t.err).toMatch(/Truncated HDF5 file.*\[truncated\]/);
      await expect(stat(join(dir, 'other-models/imported.json'))).rejects.toThrow(/ENOENT/);
    });

    it.skipIf(!hasShared)(
      'verify --model vggface2-resnet50 runs detect → box crop → embed → cosine 0.5',
      async () => {
        const bbt = (p: string) => join(facesDir, 'bbt', p);
        const r = await run([
          'verify',
          '--model',
          'vggface2-resnet50',
          '--models-dir',
          modelsDir,
          '--ref',
          bbt('sheldon/sheldon1.png'),
          bbt('sheldon/sheldon3.png'),
          bbt('leonard/leonard1.png'),
          '--pad',
          '20',
          '--json',
        ]);
        expect(r.code, r.err).toBe(0);
        const report = JSON.parse(r.out);
        expect(report).toMatchObject({ model: 'vggface2-resnet50', metric: 'cosine', threshold: 0.5 });
        // Procedural weights say nothing about faces: only that every photo got a face and a finite distance.
        expect(report.photos).toHaveLength(2);
        for (const p of report.photos) expect(Number.isFinite(p.bestDistance)).toBe(true);
      },
    );
  },
);
