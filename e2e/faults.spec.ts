/**
 * Faults the app must survive without losing work (issue 9), in Debian's Chromium with the real
 * worker, models and photos:
 * - the worker is killed mid-batch (as a crash or the out-of-memory killer would): the client
 *   notices through its life lock, starts a new worker and the unfinished photo is sent again;
 * - the WebGL context is lost mid-batch (WEBGL_lose_context in the worker): the batch finishes on
 *   WASM with every result;
 * - the second engine's worker crashes (docs/offload.md): the status panel says it stopped, and the
 *   photos go on in the main engine, which is not restarted;
 * - a model file is missing (404) or corrupt (same size, wrong bytes): the status panel names the
 *   model and the fix instead of a blank page.
 * Each ends with one line for the user in the status panel (`engine-notice` / `engine-error`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { FACES, missingFaces, photo } from './support/faces.ts';

const MISSING = missingFaces('the faults e2e');
const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../public/models');

// Routed model requests must reach the page's worker, not a service worker's cache.
test.use({ serviceWorkers: 'block' });

const card = (page: Page, file: string) => page.locator(`[data-testid="photo-result"][data-file="${file}"]`);

/** Resolves once the engine is ready; fails with the error card's text if it did not start. */
async function waitForReady(page: Page): Promise<void> {
  const phase = page.getByTestId('engine-phase');
  await expect(phase).toHaveAttribute('data-phase', /^(ready|error)$/, { timeout: 200_000 });
  if ((await phase.getAttribute('data-phase')) === 'error')
    throw new Error(`engine failed to start: ${await page.getByTestId('engine-error').textContent()}`);
}

/**
 * Arms a fault for the `call`-th photo sent to the worker (1-based, re-sends not counted): it
 * strikes when the worker reports that it has started detecting faces in that photo, i.e. while
 * the photo is inside the worker, whatever the machine's speed.
 */
async function faultDuringCall(page: Page, call: number, fault: 'kill' | 'lose-gpu'): Promise<void> {
  await page.evaluate(
    ({ call, fault }) => {
      const client = window.__facecheck?.client;
      if (client === undefined) throw new Error('window.__facecheck missing: was ?e2e passed?');
      const analyze = client.analyzePhoto.bind(client);
      let calls = 0;
      client.analyzePhoto = (photo, options, callOptions = {}) => {
        calls++;
        if (calls !== call) return analyze(photo, options, callOptions);
        const strike = () => {
          if (fault === 'kill') client.killWorkerForTest();
          // Settles with the worker's answer, or rejects if the client replaced it first.
          else void client.loseGpuContextForTest().catch(() => {});
        };
        return analyze(photo, options, {
          ...callOptions,
          onStage: (stage) => {
            callOptions.onStage?.(stage);
            if (stage === 'detecting') strike();
          },
        });
      };
    },
    { call, fault },
  );
}

const analyzeCalls = (page: Page) => page.evaluate(() => window.__facecheck?.client.analyzeCallCount() ?? -1);

async function addPhotos(page: Page, reference: string, tests: readonly string[]): Promise<void> {
  await page.getByTestId('reference-input').setInputFiles(photo(reference));
  await page.getByTestId('tests-input').setInputFiles(tests.map((path) => photo(path)));
  await expect(page.getByTestId('photo-result')).toHaveCount(tests.length);
}

const SHELDON = ['bbt/sheldon/sheldon2.png', 'bbt/sheldon/sheldon3.png', 'bbt/sheldon/sheldon4.png'];
const OTHERS = ['bbt/amy/amy1.png', 'bbt/penny/penny1.png'];
const fileName = (path: string) => path.split('/').pop() ?? path;

test('a worker killed mid-batch is restarted and every photo gets exactly one result', async ({ page }) => {
  test.skip(!existsSync(FACES), MISSING);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto('/?backend=wasm&e2e');
  await waitForReady(page);
  const tests = [...SHELDON, ...OTHERS];
  // The reference and one photo to check finish; the worker dies inside the second one.
  await faultDuringCall(page, 3, 'kill');
  await addPhotos(page, 'bbt/sheldon/sheldon1.png', tests);

  const notice = page.getByTestId('engine-notice');
  await expect(notice).toHaveAttribute('data-cause', 'crashed');
  await expect(notice).toHaveText(
    'The engine stopped unexpectedly and was restarted; 1 unfinished photo was run again.',
  );
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 200_000 });
  await expect(summary).toHaveAttribute('data-error', '0');
  await expect(summary).toHaveAttribute('data-match', String(SHELDON.length));
  await expect(summary).toHaveAttribute('data-no-match', String(OTHERS.length));
  for (const path of SHELDON)
    await expect(card(page, fileName(path))).toHaveAttribute('data-outcome', 'match');
  for (const path of OTHERS)
    await expect(card(page, fileName(path))).toHaveAttribute('data-outcome', 'no-match');
  // One card and one face each; the photo in the dead worker was sent exactly once more.
  await expect(page.getByTestId('photo-result')).toHaveCount(tests.length);
  await expect(page.getByTestId('face-result')).toHaveCount(tests.length);
  expect(await analyzeCalls(page)).toBe(1 + tests.length + 1);
  await expect(page.getByTestId('engine-phase')).toHaveAttribute('data-phase', 'ready');
  expect(pageErrors).toEqual([]);
});

test('a WebGL context lost mid-batch: the batch finishes on WASM with every result', async ({ page }) => {
  test.skip(!existsSync(FACES), MISSING);
  // SwiftShader compiles every shader on the CPU: seconds per new shape, on two shared cores.
  test.setTimeout(480_000);
  await page.goto('/?backend=webgl&e2e');
  await waitForReady(page);
  await expect(page.getByTestId('backend')).toHaveText('WebGL');
  const tests = ['bbt/sheldon/sheldon2.png', 'bbt/amy/amy1.png'];
  // The reference is analysed on WebGL; the GPU goes away inside the first photo to check.
  await faultDuringCall(page, 2, 'lose-gpu');
  await addPhotos(page, 'bbt/sheldon/sheldon1.png', tests);
  await expect(page.getByTestId('reference-photo')).toHaveAttribute('data-status', 'done', {
    timeout: 200_000,
  });

  const notice = page.getByTestId('engine-notice');
  await expect(notice).toHaveAttribute('data-cause', 'gpu-lost', { timeout: 200_000 });
  await expect(notice).toContainText('The GPU (WebGL) stopped working, so FaceCheck switched to WebAssembly');
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 300_000 });
  await expect(summary).toHaveAttribute('data-error', '0');
  await expect(card(page, 'sheldon2.png')).toHaveAttribute('data-outcome', 'match');
  await expect(card(page, 'amy1.png')).toHaveAttribute('data-outcome', 'no-match');
  await expect(page.getByTestId('face-result')).toHaveCount(tests.length);
  // Every photo was sent once, plus once more for each one the lost context interrupted.
  const rerun = Number(await notice.getAttribute('data-rerun'));
  expect(await analyzeCalls(page)).toBe(1 + tests.length + rerun);
  await expect(page.getByTestId('backend')).toHaveText('WebAssembly');
});

test('the second engine crashes: the panel says it stopped and photos go on on one core', async ({
  page,
}) => {
  test.skip(!existsSync(FACES), MISSING);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto('/?backend=wasm&e2e');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Show details' }).click();
  const second = page.getByTestId('second-engine');
  await expect(second).toHaveAttribute('data-phase', 'running', { timeout: 60_000 });
  await expect(second).toHaveText('On');

  const crashed = await page.evaluate(() =>
    window.__facecheck?.client.call((api) => api.crashSecondEngineForTest()),
  );
  expect(crashed).toBe(true);
  // The panel asks every 2 s while it is open.
  await expect(second).toHaveAttribute('data-phase', 'stopped', { timeout: 10_000 });
  await expect(second).toHaveText('Stopped');
  await expect(page.getByTestId('second-engine-detail')).toContainText('the second engine crashed (test)');
  await expect(page.getByTestId('second-engine-detail')).toContainText('photos go on on one core');

  const tests = ['bbt/sheldon/sheldon2.png', 'bbt/amy/amy1.png'];
  await addPhotos(page, 'bbt/sheldon/sheldon1.png', tests);
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 120_000 });
  await expect(summary).toHaveAttribute('data-error', '0');
  await expect(card(page, 'sheldon2.png')).toHaveAttribute('data-outcome', 'match');
  await expect(card(page, 'amy1.png')).toHaveAttribute('data-outcome', 'no-match');
  // The main engine was not taken for crashed: no restart, no photo sent twice.
  await expect(page.getByTestId('engine-notice')).toHaveCount(0);
  expect(await analyzeCalls(page)).toBe(1 + tests.length);
  await expect(second).toHaveAttribute('data-phase', 'stopped');
  expect(pageErrors).toEqual([]);
});

/** The bytes index.json lists for one model file, to fake a same-size corrupt copy. */
function listedBytes(model: string, file: string): number {
  const index = JSON.parse(readFileSync(resolve(modelsDir, 'index.json'), 'utf8')) as {
    models: Record<string, { files: { name: string; bytes: number }[] }>;
  };
  const entry = index.models[model]?.files.find((f) => f.name === file);
  if (entry === undefined) throw new Error(`index.json does not list ${model}/${file}`);
  return entry.bytes;
}

async function expectModelError(page: Page, model: string, problem: RegExp): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'FaceCheck' })).toBeVisible();
  const error = page.getByTestId('engine-error');
  await expect(error).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('engine-phase')).toHaveAttribute('data-phase', 'error');
  await expect(error.getByRole('heading')).toHaveText(`Model “${model}” could not be loaded`);
  await expect(error).toContainText(problem);
  await expect(error.locator('code')).toHaveText('npm run models');
  await expect(page.locator(`tr[data-model="${model}"]`)).toHaveAttribute('data-state', 'failed');
}

test('a missing model file (404) names the model and the fix', async ({ page }) => {
  test.skip(!existsSync(resolve(modelsDir, 'index.json')), 'public/models not built: run `npm run models`');
  await page.route('**/models/onet/model.json', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto('/?backend=wasm');
  await expectModelError(page, 'onet', /HTTP 404 for \/models\/onet\/model\.json/);
});

test('a corrupt model file (right size, wrong bytes) names the model and the fix', async ({ page }) => {
  test.skip(!existsSync(resolve(modelsDir, 'index.json')), 'public/models not built: run `npm run models`');
  const size = listedBytes('rnet', 'group1-shard1of1.bin');
  await page.route('**/models/rnet/group1-shard1of1.bin', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/octet-stream',
      body: Buffer.alloc(size, 0x5a),
    }),
  );
  await page.goto('/?backend=wasm');
  await expectModelError(page, 'rnet', /rnet\/group1-shard1of1\.bin does not match index\.json.*corrupt/);
});
