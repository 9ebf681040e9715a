/**
 * The detector has no backend-specific code: the plain-JS CPU backend and WASM find the same faces.
 * CPU is ~15-30× slower here, so this uses small photos, and minFaceSize 40 (a 4× smaller pyramid)
 * for the group photo. WebGL is covered by the browser e2e.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/io/node-image.ts';
import { boxIoU } from '../../src/pipeline/mtcnn/boxes.ts';
import { createFaceDetector, type DetectedFace } from '../../src/pipeline/mtcnn/detector.ts';
import { facesDir, hasShared, readModelFile } from '../support/shared.ts';
import { type NodeBackend, selectBackend } from './support.ts';

const PHOTOS = ['bbt/amy/amy1.png', 'bbt/raj/raj3.png', 'groups/bbt3.jpg'];
const OVERRIDES = { minFaceSize: 40 };

async function detectOn(backend: NodeBackend): Promise<DetectedFace[][]> {
  await selectBackend(backend);
  const detector = await createFaceDetector(readModelFile);
  const results: DetectedFace[][] = [];
  for (const photo of PHOTOS) {
    results.push(await detector.detect(await decodeImageFile(join(facesDir, photo)), OVERRIDES));
  }
  detector.dispose();
  return results;
}

describe.skipIf(!hasShared)('CPU and WASM backends agree', () => {
  it('same faces (IoU ≥ 0.99, scores within 1e-3) on CPU and WASM', async () => {
    const wasm = await detectOn('wasm');
    const cpu = await detectOn('cpu');
    PHOTOS.forEach((photo, i) => {
      const a = wasm[i] ?? [];
      const b = cpu[i] ?? [];
      expect(b.length, photo).toBe(a.length);
      a.forEach((face, k) => {
        const other = b[k] as DetectedFace;
        expect(boxIoU(face.box, other.box), photo).toBeGreaterThanOrEqual(0.99);
        expect(Math.abs(face.score - other.score), photo).toBeLessThan(1e-3);
      });
    });
  });
});
