/**
 * Issue 9 in the browser: hostile and broken files never crash or lose work.
 *
 * 1. The whole generated bad-input corpus (tests/corpus/make-corpus.ts: 68 files with ../shared) is
 *    dropped at once on "Photos to check", next to a real reference photo. Every file gets its
 *    expected outcome on its own card (status, problem code, the policy's message), the rest of the
 *    batch completes, EXIF orientations 1–8 are analysed upright, the file named
 *    `<img src=x onerror=alert(1)>` stays text (no dialog ever opens), and afterwards the worker holds
 *    the tensors it held before the batch, no decoded image, and the page no object URL once the
 *    photos are cleared.
 * 2. A 500-photo batch (small real face crops under 500 names) finishes with at most one decoded
 *    image alive in the worker at any time.
 *
 * Runs on WASM (this machine's WebGL is emulated on the CPU).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { checkInput } from '../src/io/input-policy.ts';
import { XSS_NAME } from '../tests/corpus/make-corpus.ts';
import { browserOutcome, PROBLEM_TEXT } from './support/browser-outcomes.ts';
import { type CorpusDir, writeCorpus } from './support/corpus-dir.ts';
import { dropFiles } from './support/drop-files.ts';
import { liveObjectUrls, secondEngineTensors, watchObjectUrls, workerMemory } from './support/page-watch.ts';

const FACES = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/faces');
const MISSING = `${FACES} not found: the bad-input e2e needs ../shared/data/faces beside the project (the corpus's photo files and the reference are made from it)`;
const REFERENCE = join(FACES, 'bbt/sheldon/sheldon1.png');
const PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'] as const;

/** One face as the card's overlay draws it, in analysed-image pixels. */
interface DrawnFace {
  readonly box: readonly [x: number, y: number, width: number, height: number];
  /** Left eye, right eye, nose, mouth left, mouth right. */
  readonly points: readonly (readonly [number, number])[];
}

/** Everything a photo card shows, read from the DOM in one go. */
interface CardState {
  readonly file: string;
  readonly status: string | null;
  readonly code: string | null;
  readonly problem: string;
  readonly nameText: string;
  readonly faceTiles: number;
  /** The overlay's viewBox: the analysed image's size; null without an overlay. */
  readonly size: { readonly width: number; readonly height: number } | null;
  readonly faces: readonly DrawnFace[];
}

const readCards = (page: Page): Promise<CardState[]> =>
  page.getByTestId('photo-result').evaluateAll((cards) =>
    cards.map((card) => {
      const viewBox = card.querySelector('svg.overlay')?.getAttribute('viewBox')?.split(' ').map(Number);
      const num = (el: Element, name: string) => Number(el.getAttribute(name));
      return {
        file: card.getAttribute('data-file') ?? '',
        status: card.getAttribute('data-status'),
        code: card.querySelector('[data-testid="photo-problem"]')?.getAttribute('data-code') ?? null,
        problem: card.querySelector('[data-testid="photo-problem"]')?.textContent ?? '',
        nameText: card.querySelector('.file-name')?.textContent ?? '',
        faceTiles: card.querySelectorAll('[data-testid="face-result"]').length,
        size: viewBox === undefined ? null : { width: viewBox[2] ?? 0, height: viewBox[3] ?? 0 },
        faces: Array.from(card.querySelectorAll('.overlay-face')).map((g) => {
          const rect = g.querySelector('rect');
          return {
            box: [
              rect === null ? 0 : num(rect, 'x'),
              rect === null ? 0 : num(rect, 'y'),
              rect === null ? 0 : num(rect, 'width'),
              rect === null ? 0 : num(rect, 'height'),
            ] as const,
            points: Array.from(g.querySelectorAll('circle')).map(
              (c) => [num(c, 'cx'), num(c, 'cy')] as const,
            ),
          };
        }),
      };
    }),
  );

function iou(a: DrawnFace['box'], b: DrawnFace['box']): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const inter = Math.max(0, w) * Math.max(0, h);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

/**
 * Upright: the same faces at the same places as the untagged original (a rotated or mirrored decode
 * moves them), each with both eyes above the mouth and the image-left eye on the left.
 */
function expectUpright(card: CardState, original: CardState): void {
  expect.soft(card.size, card.file).toEqual(original.size);
  for (const face of original.faces.slice(0, 4)) {
    const best = Math.max(...card.faces.map((f) => iou(f.box, face.box)));
    expect
      .soft(best, `${card.file}: a face of the upright photo at ${face.box.join(',')}`)
      .toBeGreaterThan(0.8);
  }
  for (const { points } of card.faces.slice(0, 4)) {
    const [leftEye, rightEye, , mouthLeft, mouthRight] = points;
    if (!leftEye || !rightEye || !mouthLeft || !mouthRight) throw new Error(`${card.file}: five landmarks`);
    expect
      .soft(Math.max(leftEye[1], rightEye[1]), `${card.file}: eyes above the mouth`)
      .toBeLessThan(Math.min(mouthLeft[1], mouthRight[1]));
    expect.soft(leftEye[0], `${card.file}: image-left eye on the left`).toBeLessThan(rightEye[0]);
  }
}

/** Opens the app on WASM with the reference analysed; returns the worker's memory at that point. */
async function openWithReference(page: Page) {
  await watchObjectUrls(page);
  await page.goto('/?backend=wasm&e2e');
  await page.getByTestId('reference-input').setInputFiles(REFERENCE);
  await expect(page.getByTestId('reference-photo')).toHaveAttribute('data-status', 'done', {
    timeout: 180_000,
  });
  return workerMemory(page);
}

test.describe('bad input in the browser', () => {
  let corpus: CorpusDir | null = null;
  test.afterAll(async () => {
    await corpus?.remove();
  });

  test('the whole corpus dropped at once: every file its own outcome, nothing leaks', async ({ page }) => {
    test.skip(!existsSync(FACES), MISSING);
    test.setTimeout(30 * 60_000);
    corpus = await writeCorpus(FACES);
    const files = corpus.files;
    expect(files.length).toBeGreaterThanOrEqual(40);

    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setViewportSize({ width: 1280, height: 1000 });

    const before = await openWithReference(page);
    expect(before.liveBitmaps).toBe(0);
    const urlsBefore = await liveObjectUrls(page);

    const started = Date.now();
    await dropFiles(
      page,
      page.getByRole('button', { name: /Add the photos to check/ }),
      files.map((f) => f.path),
    );
    await expect(page.getByTestId('photo-result')).toHaveCount(files.length, { timeout: 30_000 });
    const summary = page.getByTestId('summary');
    await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 25 * 60_000 });
    console.log(`bad-input: ${files.length} corpus files analysed in ${Date.now() - started} ms`);
    // Every face tile of the 40-face grid is rendered (the page did not give up on it).
    const gridTiles = page.locator('[data-testid="face-result"][data-file="many-faces-40.jpg"]');
    await expect.poll(() => gridTiles.count()).toBeGreaterThanOrEqual(40);

    const cards = await readCards(page);
    const byFile = new Map(cards.map((c) => [c.file, c]));
    expect(byFile.size, 'one card per file').toBe(files.length);
    // Soft: one run reports every file that differs, not just the first.
    const counts = { done: 0, 'no-face': 0, error: 0 };
    for (const file of files) {
      const card = byFile.get(file.name);
      if (card === undefined) throw new Error(`no card for ${file.name}`);
      const want = browserOutcome(file);
      counts[want.status]++;
      expect.soft(card.status, `${file.name}: ${file.why}`).toBe(want.status);
      expect.soft(card.nameText, `${file.name}: the name is shown as text`).toBe(file.name);
      if (want.status === 'error') {
        expect.soft(card.code, `${file.name}: ${file.why}`).toBe(want.code);
        expect.soft(card.problem, file.name).toMatch(PROBLEM_TEXT[want.code]);
        // A file refused from its bytes shows exactly the policy's message for it.
        const check = checkInput(file.bytes, file.name);
        if (!check.ok) expect.soft(card.problem, file.name).toBe(check.problem.message);
        continue;
      }
      expect.soft(card.code, file.name).toBeNull();
      if (want.status === 'done') {
        // The overlay's viewBox is the analysed size; a card without faces draws no overlay.
        expect.soft(card.size, `${file.name}: analysed size (upright, downscaled)`).toEqual(want.size);
        expect.soft(card.faceTiles, `${file.name}: faces`).toBeGreaterThanOrEqual(want.facesAtLeast);
      } else expect.soft(card.faceTiles, file.name).toBe(0);
    }
    await expect.soft(summary).toHaveAttribute('data-error', String(counts.error));
    await expect.soft(summary).toHaveAttribute('data-no-face', String(counts['no-face']));
    console.log(`bad-input: outcomes ${JSON.stringify(counts)}`);

    // EXIF orientations 1–8: every one analysed upright, like the untagged original.
    const original = byFile.get('group.jpg');
    if (original === undefined) throw new Error('no card for group.jpg');
    for (let orientation = 1; orientation <= 8; orientation++) {
      const card = byFile.get(`exif-orientation-${orientation}.jpg`);
      if (card === undefined) throw new Error(`no card for orientation ${orientation}`);
      expectUpright(card, original);
    }

    // The hostile names are text: no element came from them and no dialog opened.
    expect.soft(files.filter((f) => f.name.startsWith(XSS_NAME)).length).toBeGreaterThanOrEqual(1);
    await expect.soft(page.locator('img[src="x"]')).toHaveCount(0);
    expect.soft(dialogs, 'no dialog during the run').toEqual([]);

    // Memory back to where it was: same tensors in the worker, no decoded image alive, at most one
    // ever alive at once (photos are decoded one at a time and closed).
    const after = await workerMemory(page);
    console.log(`bad-input: worker memory before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
    expect.soft(after.tensors, 'tensors in the worker after the batch').toBe(before.tensors);
    expect
      .soft(secondEngineTensors(after), 'tensors in the second engine after the batch')
      .toBe(secondEngineTensors(before));
    expect.soft(after.liveBitmaps).toBe(0);
    expect.soft(after.maxLiveBitmaps).toBe(1);
    // Every accepted file was decoded once (bad-zlib.png's decode is refused, so never opened).
    expect
      .soft(after.decodedBitmaps - before.decodedBitmaps, 'decoded in the batch')
      .toBe(counts.done + counts['no-face']);

    // Object URLs: one per photo while shown (plus face thumbnails), none once they are cleared.
    expect(await liveObjectUrls(page)).toBeGreaterThan(urlsBefore);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect(page.getByTestId('photo-result')).toHaveCount(0);
    await expect
      .poll(() => liveObjectUrls(page), { message: 'object URLs after "Clear all"' })
      .toBe(urlsBefore);
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect(page.getByTestId('reference-photo')).toHaveCount(0);
    await expect
      .poll(() => liveObjectUrls(page), { message: 'object URLs after clearing everything' })
      .toBe(0);

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('500 photos: at most one decoded image alive in the worker, every photo finishes', async ({
    page,
  }) => {
    test.skip(!existsSync(FACES), MISSING);
    test.setTimeout(30 * 60_000);
    const PHOTOS = 500;
    // The 40 real 150 px crops of bbt/ under 500 names (links: no copies on disk).
    const crops = PEOPLE.flatMap((p) => [1, 2, 3, 4, 5].map((i) => join(FACES, `bbt/${p}/${p}${i}.png`)));
    const dir = await mkdtemp(join(tmpdir(), 'facecheck-e2e-500-'));
    try {
      const paths = Array.from({ length: PHOTOS }, (_, i) =>
        join(dir, `photo-${String(i + 1).padStart(3, '0')}.png`),
      );
      await Promise.all(paths.map((path, i) => symlink(crops[i % crops.length] ?? '', path)));
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.setViewportSize({ width: 1280, height: 1000 });
      const before = await openWithReference(page);

      const started = Date.now();
      await dropFiles(page, page.getByRole('button', { name: /Add the photos to check/ }), paths);
      const summary = page.getByTestId('summary');
      await expect(summary).toHaveAttribute('data-total', String(PHOTOS), { timeout: 60_000 });
      await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 25 * 60_000 });
      console.log(`500 photos: analysed in ${Date.now() - started} ms`);
      await expect(summary).toHaveAttribute('data-error', '0');

      const after = await workerMemory(page);
      console.log(
        `500 photos: worker memory before ${JSON.stringify(before)} after ${JSON.stringify(after)}`,
      );
      expect(after.decodedBitmaps - before.decodedBitmaps, 'every photo was decoded').toBe(PHOTOS);
      expect(after.maxLiveBitmaps, 'decoded images alive at once').toBeLessThanOrEqual(1);
      expect(after.liveBitmaps).toBe(0);
      expect(after.tensors).toBe(before.tensors);
      expect(secondEngineTensors(after)).toBe(secondEngineTensors(before));

      // The page keeps Files and object URLs, not pixels: a photo is fetched and decoded for display
      // only near the viewport (<img loading="lazy">).
      const shown = await page
        .locator('[data-testid="photo-result"] .photo-figure img')
        .evaluateAll(
          (imgs) =>
            imgs.filter(
              (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
            ).length,
        );
      console.log(`500 photos: ${shown} of ${PHOTOS} photo thumbnails loaded by the page`);
      expect(shown).toBeLessThan(PHOTOS / 2);
      expect(pageErrors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
