/** The facecheck CLI end to end (in-process: main(argv) with console captured). */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli as run } from '../support/run-cli.ts';
import { facesDir, hasShared, SHARED_MISSING } from '../support/shared.ts';
import { useWasm } from './helpers.ts';

describe('facecheck usage errors', () => {
  afterEach(() => vi.restoreAllMocks());
  it('exit 2 with the usage text', async () => {
    const r = await run(['verify', 'a.jpg']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--reference/);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['verify', '--ref', 'a.jpg', 'b.jpg', '--threshold', 'x'])).err).toMatch(
      /--threshold must be/,
    );
    expect((await run(['--help'])).code).toBe(0);
  });
});

describe.skipIf(!hasShared)(`facecheck on ../shared photos${hasShared ? '' : ` — ${SHARED_MISSING}`}`, () => {
  beforeAll(useWasm);
  const bbt = (p: string) => join(facesDir, 'bbt', p);

  it('verify --json: per-face distances and per-photo verdicts; a missing file is reported and exits 1', async () => {
    const r = await run([
      'verify',
      '--ref',
      bbt('sheldon/sheldon1.png'),
      bbt('sheldon/sheldon3.png'),
      bbt('leonard/leonard1.png'),
      join(facesDir, 'groups/bbt4.jpg'),
      '/nonexistent/photo.jpg',
      '--pad',
      '20',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.model).toBe('mobilefacenet');
    expect(report.threshold).toBe(0.6314);
    const verdicts = Object.fromEntries(
      report.photos.map((p: { file: string; verdict: string }) => [p.file.split('/').pop(), p.verdict]),
    );
    expect(verdicts).toEqual({
      'sheldon3.png': 'verified',
      'leonard1.png': 'not-verified',
      'bbt4.jpg': 'verified',
      'photo.jpg': 'error',
    });
    const group = report.photos.find((p: { file: string }) => p.file.endsWith('bbt4.jpg'));
    expect(group.faces.length).toBeGreaterThanOrEqual(5);
    expect(group.faces.filter((f: { verdict: string }) => f.verdict === 'match')).toHaveLength(1);
    expect(report.photos.find((p: { verdict: string }) => p.verdict === 'error').error).toBe(
      'file not found',
    );
  });

  it('verify text output lists every face and a summary', async () => {
    const r = await run([
      'verify',
      '--reference',
      bbt('penny/penny1.png'),
      bbt('penny/penny2.png'),
      bbt('amy/amy1.png'),
      '--pad',
      '20',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Summary: 1 verified, 1 not verified, 0 without a face, 0 unreadable/);
    expect(r.out).toMatch(/VERIFIED\s+.*penny2\.png \(best distance 0\.\d+ ≤ 0\.6314\)/);
  });

  it('pairs --folders aligned --aligned prints the benchmark JSON', async () => {
    const r = await run(['pairs', '--folders', join(facesDir, 'aligned'), '--aligned']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out);
    expect(m.pairs).toEqual({ same: 1740, different: 5400 });
    expect(m.auc).toBeGreaterThan(0.999);
    expect(m.rank1.accuracy).toBe(1);
  });

  it('detect --json uses the mtcnn package shape', async () => {
    const r = await run(['detect', join(facesDir, 'groups/bbt1.jpg'), '--json']);
    const [file] = JSON.parse(r.out);
    expect(file.faces.length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(file.faces[0].keypoints)).toEqual([
      'left_eye',
      'right_eye',
      'nose',
      'mouth_left',
      'mouth_right',
    ]);
    expect(file.faces[0].box).toHaveLength(4);
  });
});
