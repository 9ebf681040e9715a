/**
 * Issue 7, browser import: a full-size keras-vggface ResNet-50 weights file (the oracle's procedural
 * weights in the exact Keras `save_weights` layout, written here with h5wasm into a temp folder) is added
 * through "Add model…" and the file chooser. The worker parses, converts and stores it in IndexedDB; the
 * list shows "VGGFace2 ResNet-50 (imported)", it survives a reload, and the worker's embedding of the
 * oracle's deterministic input (sent as PNG, resized like `facecheck embed --no-detect`) reproduces the
 * fixture embedding to rel_l2 ≤ 1e-4. A foreign file is refused with a message; Remove deletes it.
 *
 * Then the model is chosen in the picker and verifies real photos (../shared/data/faces/bbt). The weights
 * are procedural, not a face model, so who matches is not asserted: only what is honest — the imported
 * model's id, cosine metric and 0.5 default in the UI and the JSON export, a distance for every face, and
 * every verdict equal to distance ≤ threshold. Removing the selected model falls back to the default one.
 */

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { writeOracleKerasH5 } from '../tests/vggface/support/keras-h5.ts';
import {
  hasVggfaceFixtures,
  loadOracleFixture,
  oracleImage,
  relL2,
  VGGFACE_FIXTURES_MISSING,
} from '../tests/vggface/support/oracle.ts';
import { FACES, missingFaces, photo } from './support/faces.ts';

test.skip(!hasVggfaceFixtures, VGGFACE_FIXTURES_MISSING);
test.describe.configure({ mode: 'serial' });

let dir: string;
let h5Path: string;
let foreignPath: string;
let png: Buffer;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facecheck-import-e2e-'));
  h5Path = join(dir, 'rcmalli_vggface_tf_notop_resnet50.h5');
  await writeFile(h5Path, await writeOracleKerasH5(loadOracleFixture('resnet50')));
  png = await sharp(Buffer.from(oracleImage()), { raw: { width: 224, height: 224, channels: 3 } })
    .png()
    .toBuffer();
  foreignPath = join(dir, 'holiday.h5');
  await writeFile(foreignPath, png);
});

test.afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function openApp(page: Page): Promise<void> {
  // WASM: exact float32 like Node; SwiftShader's emulated WebGL would take minutes for a ResNet-50.
  await page.goto('/?e2e&backend=wasm');
  const phase = page.getByTestId('engine-phase');
  await expect(phase).toHaveAttribute('data-phase', /^(ready|error)$/, { timeout: 180_000 });
  if ((await phase.getAttribute('data-phase')) === 'error') {
    throw new Error(`engine failed to start: ${await page.getByTestId('engine-error').textContent()}`);
  }
}

async function chooseFile(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add model…' }).click();
  await (await chooser).setFiles(path);
}

test('a foreign .h5 is refused with a clear message, nothing is stored', async ({ page }) => {
  await openApp(page);
  await chooseFile(page, foreignPath);
  await expect(page.getByTestId('add-model-error')).toContainText(
    /holiday\.h5 was not added: Not an HDF5 file/,
  );
  await expect(page.getByTestId('imported-models')).toHaveCount(0);
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(databases).not.toContain('facecheck-imported-models');
});

test('Add model… imports the ResNet-50 file; the worker reproduces the fixture embedding; Remove deletes it', async ({
  page,
}) => {
  await openApp(page);
  // Keyboard accessible: the button is reachable and operable like any button.
  await expect(page.getByRole('button', { name: 'Add model…' })).toBeEnabled();
  await chooseFile(page, h5Path);
  const item = page.locator('[data-testid="imported-models"] li[data-model-id="vggface2-resnet50"]');
  await expect(item).toContainText('VGGFace2 ResNet-50 (imported) · float32 · 94 MB', { timeout: 180_000 });
  await expect(page.getByTestId('add-model-done')).toContainText('Added VGGFace2 ResNet-50 (imported)');

  // Stored in this browser: still there after a reload.
  await openApp(page);
  await expect(item).toBeVisible();

  const embedding = await page.evaluate(async (base64) => {
    const hook = window.__facecheck;
    if (hook === undefined) throw new Error('window.__facecheck missing: was ?e2e passed?');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const out = await hook.client.api.embedWholeImageDiagnostic(
      { name: 'oracle-input.png', bytes: bytes.buffer },
      'vggface2-resnet50',
    );
    return Array.from(out);
  }, png.toString('base64'));
  const reference = loadOracleFixture('resnet50').output.values;
  expect(embedding).toHaveLength(2048);
  const error = relL2(embedding, reference);
  console.info(`browser import → worker embed: rel_l2 ${error.toExponential(2)}`);
  expect(error).toBeLessThanOrEqual(1e-4);

  const picker = page.getByTestId('model-picker');
  if (existsSync(FACES)) {
    await verifyWithImportedModel(page);
    await identifyWithImportedModel(page);
  } else console.info(`skipped verification with the imported model: ${missingFaces('it')}`);

  await item.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('add-model-done')).toContainText('Removed VGGFace2 ResNet-50 (imported)');
  await expect(item).toHaveCount(0);
  // The selected model is gone: the picker falls back to the default and its calibrated threshold.
  await expect(picker).toHaveValue('mobilefacenet');
  await expect(picker.locator('optgroup[label="Imported"]')).toHaveCount(0);
  await expect(page.getByTestId('threshold-value')).toHaveText('0.63');
});

/** Picks the imported model, verifies sheldon1 against a few bbt crops, checks model, metric and verdicts. */
async function verifyWithImportedModel(page: Page): Promise<void> {
  const picker = page.getByTestId('model-picker');
  await expect(picker.locator('optgroup[label="Imported"] option')).toHaveText([
    'VGGFace2 ResNet-50 (imported)',
  ]);
  await picker.selectOption({ label: 'VGGFace2 ResNet-50 (imported)' });
  await expect(picker).toHaveValue('vggface2-resnet50');

  const tests = ['sheldon/sheldon2.png', 'sheldon/sheldon3.png', 'amy/amy1.png', 'penny/penny1.png'];
  await page.getByTestId('reference-input').setInputFiles(photo('bbt/sheldon/sheldon1.png'));
  await page.getByTestId('tests-input').setInputFiles(tests.map((f) => photo(`bbt/${f}`)));
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 180_000 });
  await expect(summary).toHaveAttribute('data-error', '0');
  // The threshold control (shown once there are results) carries the imported model's facts.
  await expect(page.getByTestId('threshold-value')).toHaveText('0.50');
  await expect(page.getByTestId('threshold-slider')).toHaveAttribute('max', '1');
  await expect(page.getByText(/A face matches when its cosine distance/)).toBeVisible();

  const faces = await page.getByTestId('face-result').evaluateAll((els) =>
    els.map((el) => ({
      file: el.getAttribute('data-file'),
      distance: el.getAttribute('data-distance'),
      verdict: el.getAttribute('data-verdict'),
    })),
  );
  // Every crop has a face (MTCNN is the shipped detector); each one is scored by the imported model.
  expect(new Set(faces.map((f) => f.file))).toEqual(new Set(tests.map((f) => f.split('/')[1])));
  for (const { file, distance, verdict } of faces) {
    expect(distance, `${file} has a distance`).toMatch(/^\d+\.\d{4}$/);
    expect(verdict, String(file)).toBe(Number(distance) <= 0.5 ? 'match' : 'no-match');
  }
  console.info(`imported model, sheldon1 vs: ${faces.map((f) => `${f.file} ${f.distance}`).join(', ')}`);
  // Procedural weights put every face near the reference, so at 0.5 all may match; at 0 (a real
  // threshold, not "unset") a face matches only at distance exactly 0: the verdicts follow the slider.
  const slider = page.getByTestId('threshold-slider');
  await slider.fill('0');
  await expect(page.getByTestId('threshold-value')).toHaveText('0.00');
  const strict = await page
    .getByTestId('face-result')
    .evaluateAll((els) =>
      els.map((el) => [el.getAttribute('data-distance'), el.getAttribute('data-verdict')]),
    );
  for (const [distance, verdict] of strict)
    expect(verdict).toBe(Number(distance) <= 0 ? 'match' : 'no-match');
  await page.getByRole('button', { name: 'Reset to default' }).click();
  await expect(page.getByTestId('threshold-value')).toHaveText('0.50');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'JSON' }).click(),
  ]);
  const json = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    model: string;
    metric: string;
    threshold: number;
    photos: { faces: { distance: number | null; verdict: string | null }[] }[];
  };
  expect(json).toMatchObject({ model: 'vggface2-resnet50', metric: 'cosine', threshold: 0.5 });
  const exported = json.photos.flatMap((p) => p.faces);
  expect(exported).toHaveLength(faces.length);
  for (const f of exported)
    expect(f.verdict).toBe(f.distance !== null && f.distance <= 0.5 ? 'match' : 'no-match');
}

/**
 * Still on the imported model: a one-person gallery (sheldon1) labels two probes by cosine ≤ 0.5; the
 * gallery file records the imported id and 2048-d embeddings, imports back, and is refused once it
 * claims another model.
 */
async function identifyWithImportedModel(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Identify faces' }).click();
  await page.getByTestId('person-name').fill('Sheldon');
  await page.getByRole('button', { name: 'Add person' }).click();
  const sheldon = page.locator('[data-testid="person"][data-name="Sheldon"]');
  await sheldon.getByTestId('enrol-input').setInputFiles(photo('bbt/sheldon/sheldon1.png'));
  await expect(sheldon).toHaveAttribute('data-samples', '1', { timeout: 180_000 });

  await page
    .getByTestId('probes-input')
    .setInputFiles([photo('bbt/sheldon/sheldon4.png'), photo('bbt/howard/howard2.png')]);
  await expect(page.locator('[data-testid="photo-result"][data-status="done"]')).toHaveCount(2, {
    timeout: 180_000,
  });
  const rows = page.getByTestId('identity-result');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    const distance = await row.getAttribute('data-distance');
    expect(distance).toMatch(/^\d+\.\d{4}$/);
    await expect(row).toHaveAttribute('data-label', Number(distance) <= 0.5 ? 'Sheldon' : 'unknown');
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  const gallery = JSON.parse(text) as { model: string; dim: number; people: { embeddings: number[][] }[] };
  expect(gallery).toMatchObject({ model: 'vggface2-resnet50', dim: 2048 });
  expect(gallery.people[0]?.embeddings[0]).toHaveLength(2048);

  const importInput = page.getByTestId('gallery-import-input');
  await importInput.setInputFiles({
    name: 'gallery.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 person.' })).toBeVisible();
  const foreign = JSON.stringify({ ...gallery, model: 'mobilefacenet' });
  await importInput.setInputFiles({
    name: 'other.json',
    mimeType: 'application/json',
    buffer: Buffer.from(foreign),
  });
  await expect(page.getByRole('alert')).toContainText(
    'This gallery was made with MobileFaceNet, but VGGFace2 ResNet-50 (imported) is selected.',
  );
  await page.getByRole('tab', { name: 'Verify a person' }).click();
}
