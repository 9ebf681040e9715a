/**
 * Identification end to end (Chromium, WASM, real models and photos from ../shared/data/faces): a
 * gallery of three people enrolled from two bbt crops each, a group photo where the user picks the
 * face, then probes — each person's other crops and someone not in the gallery — labelled with the
 * right name or "Unknown", with the top 3 on demand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { FACES, missingFaces, photo } from './support/faces.ts';

const MISSING = missingFaces('the identification e2e');

const PEOPLE = [
  { name: 'Sheldon', folder: 'sheldon', probe: 'sheldon3.png' },
  { name: 'Leonard', folder: 'leonard', probe: 'leonard4.png' },
  { name: 'Penny', folder: 'penny', probe: 'penny4.png' },
] as const;
// Not in the gallery: his nearest gallery person is ~0.88 away (threshold 0.63).
const STRANGER = 'howard2.png';

const person = (page: Page, name: string) => page.locator(`[data-testid="person"][data-name="${name}"]`);
const identity = (page: Page, file: string) =>
  page.locator(`[data-testid="identity-result"][data-file="${file}"]`);

test('identification: a named gallery labels faces, or says Unknown', async ({ page }) => {
  test.skip(!existsSync(FACES), MISSING);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto('/?backend=wasm&e2e');
  await page.getByRole('tab', { name: 'Identify faces' }).click();

  for (const { name, folder } of PEOPLE) {
    await page.getByTestId('person-name').fill(name);
    await page.getByRole('button', { name: 'Add person' }).click();
    await person(page, name)
      .getByTestId('enrol-input')
      .setInputFiles([photo(`bbt/${folder}/${folder}1.png`), photo(`bbt/${folder}/${folder}2.png`)]);
  }
  for (const { name } of PEOPLE) {
    await expect(person(page, name), name).toHaveAttribute('data-samples', '2', { timeout: 180_000 });
  }

  // A group photo has several faces: the user picks which one is Sheldon (the right-hand one).
  await person(page, 'Sheldon')
    .getByTestId('enrol-input')
    .setInputFiles([photo('groups/bbt1.jpg')]);
  const options = person(page, 'Sheldon').getByTestId('pick-face');
  await expect(options.first()).toBeVisible({ timeout: 60_000 });
  expect(await options.count()).toBeGreaterThanOrEqual(4);
  await options.first().click(); // faces are ordered largest first; Sheldon's is the largest
  await expect(person(page, 'Sheldon')).toHaveAttribute('data-samples', '3');

  await page
    .getByTestId('probes-input')
    .setInputFiles([
      ...PEOPLE.map((p) => photo(`bbt/${p.folder}/${p.probe}`)),
      photo(`bbt/howard/${STRANGER}`),
    ]);
  await expect(page.locator('[data-testid="photo-result"][data-status="done"]')).toHaveCount(4, {
    timeout: 120_000,
  });

  for (const { name, probe } of PEOPLE) {
    await expect(identity(page, probe), probe).toHaveCount(1);
    await expect(identity(page, probe), probe).toHaveAttribute('data-label', name);
  }
  await expect(identity(page, STRANGER)).toHaveAttribute('data-label', 'unknown');
  await expect(identity(page, STRANGER)).toContainText('Unknown');

  // Top 3 on demand: every gallery person, nearest first.
  await identity(page, STRANGER).getByRole('button', { name: 'Top 3' }).click();
  const top = identity(page, STRANGER).getByTestId('top-candidates').locator('li');
  await expect(top).toHaveCount(3);
  const distances = (await top.locator('.distance').allTextContents()).map(Number);
  expect([...distances].sort((a, b) => a - b)).toEqual(distances);

  // Renaming a person relabels their faces at once.
  await person(page, 'Penny').getByRole('button', { name: 'Rename Penny' }).click();
  await page.getByLabel('New name for Penny').fill('Penny H.');
  await page.keyboard.press('Enter');
  await expect(identity(page, 'penny4.png')).toHaveAttribute('data-label', 'Penny H.');

  await page.screenshot({ path: '/tmp/ui-identify.png', fullPage: true });

  // Export: a versioned file with the model id and embeddings, and no images.
  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const galleryText = readFileSync(await exported.path(), 'utf8');
  const gallery = JSON.parse(galleryText) as {
    format: string;
    model: string;
    people: { name: string; embeddings: number[][] }[];
  };
  expect(gallery).toMatchObject({
    format: 'facecheck-gallery',
    version: 1,
    model: 'mobilefacenet',
    dim: 192,
  });
  expect(gallery.people.map((p) => [p.name, p.embeddings.length])).toEqual([
    ['Sheldon', 3],
    ['Leonard', 2],
    ['Penny H.', 2],
  ]);
  expect(galleryText).not.toMatch(/rgba|crop|png|jpg/i);

  // Removing a person: their probe is never labelled with the removed name again.
  await person(page, 'Leonard').getByRole('button', { name: 'Remove Leonard' }).click();
  await expect(person(page, 'Leonard')).toHaveCount(0);
  await expect(identity(page, 'leonard4.png')).not.toHaveAttribute('data-label', 'Leonard');

  // Nothing is stored until "Save in this browser"; then a reload offers the saved gallery.
  expect(await page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
  await page.getByRole('button', { name: 'Save in this browser' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 2 people' })).toBeVisible();
  await page.reload();
  await page.getByRole('tab', { name: 'Identify faces' }).click();
  await page.getByRole('button', { name: 'Load it' }).click();
  await expect(person(page, 'Sheldon')).toHaveAttribute('data-samples', '3');
  await expect(person(page, 'Penny H.')).toHaveAttribute('data-samples', '2');
  await page.getByTestId('probes-input').setInputFiles([photo('bbt/sheldon/sheldon5.png')]);
  await expect(identity(page, 'sheldon5.png')).toHaveAttribute('data-label', 'Sheldon', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Delete saved copy' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toBeVisible();
  expect(await page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);

  // Importing the exported file works with its model, and is refused with another one.
  const importFile = { name: 'gallery.json', mimeType: 'application/json', buffer: Buffer.from(galleryText) };
  await page.getByTestId('gallery-import-input').setInputFiles(importFile);
  await expect(page.getByRole('status').filter({ hasText: 'Imported 3 people' })).toBeVisible();
  await page.getByTestId('model-picker').selectOption('facerecognitionnet');
  await page.getByTestId('gallery-import-input').setInputFiles(importFile);
  await expect(page.getByRole('alert')).toContainText(
    'made with MobileFaceNet, but FaceRecognitionNet is selected',
  );
  expect(pageErrors).toEqual([]);
});
