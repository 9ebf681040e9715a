/**
 * Issue 6, the update path end to end, in Debian's Chromium on the WASM backend with real photos
 * from ../shared/data/faces:
 *
 * 1. The built app is served from a temp copy by a server of the test's own (e2e/support/
 *    build-server.ts, same headers as `vite preview`); the first visit installs the service worker,
 *    and a later visit starts under its control.
 * 2. A verification starts; while it runs, the server is switched to the next release (new shell,
 *    new models version, its own sw.js — e2e/support/releases.ts) and the page checks for updates,
 *    as its hourly timer would. The update prompt appears; the page does not reload, the new
 *    worker does not take control, and the verification finishes with its results intact.
 * 3. "Update now": the new worker takes over, the page reloads exactly once and is the new release,
 *    and only the new release's two caches are left (old shell and old model cache deleted). A
 *    second, idle tab of the app is not reloaded by that; its own "Update now" reloads it.
 * 4. Offline, a reload still runs a full verification from the new caches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { modelCacheName, shellCacheName } from '../src/pwa/precache-manifest.ts';
import { startBuildServer } from './support/build-server.ts';
import { copyRelease, makeNextRelease, RELEASE_META } from './support/releases.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const FACES = resolve(ROOT, '../shared/data/faces');
/** The build the suite serves (playwright.config.ts reads the same variable). */
const BUILD = resolve(ROOT, process.env.E2E_OUT_DIR ?? 'dist');
const MISSING = `${FACES} not found: the update e2e needs real photos in ../shared/data/faces beside the project`;

const photo = (path: string) => ({
  name: path.split('/').pop() ?? path,
  mimeType: 'image/png',
  buffer: readFileSync(resolve(FACES, path)),
});

/** What the test leaves on `window`; gone after any reload. */
interface PageMarks {
  __sameDocument?: true;
  __controllerChanges?: number;
}

async function waitForEngine(page: Page): Promise<void> {
  const phase = page.getByTestId('engine-phase');
  await expect(phase).toHaveAttribute('data-phase', /^(ready|error)$/, { timeout: 120_000 });
  if ((await phase.getAttribute('data-phase')) === 'error')
    throw new Error(`engine failed: ${await page.getByTestId('engine-error').textContent()}`);
  expect(await page.evaluate(() => window.__facecheck?.client.status().then((s) => s.backend))).toBe('wasm');
}

/** Reference sheldon1; `tests` are checked against it. Returns once the photos are queued. */
async function startVerification(page: Page, tests: readonly string[]): Promise<void> {
  await page.getByTestId('reference-input').setInputFiles(photo('bbt/sheldon/sheldon1.png'));
  await page.getByTestId('tests-input').setInputFiles(tests.map(photo));
}

async function expectVerdicts(page: Page, match: number, noMatch: number): Promise<void> {
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 120_000 });
  await expect(summary).toHaveAttribute('data-match', String(match));
  await expect(summary).toHaveAttribute('data-no-match', String(noMatch));
  await expect(page.locator('[data-testid="photo-result"][data-file="sheldon2.png"]')).toHaveAttribute(
    'data-outcome',
    'match',
  );
}

const cacheNames = (page: Page) => page.evaluate(async () => (await caches.keys()).sort());

const registrationState = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      controlled: navigator.serviceWorker.controller !== null,
      waiting: registration?.waiting?.state ?? null,
      active: registration?.active?.state ?? null,
    };
  });

/** Marks the current document, and counts controller changes from now on. */
const markDocument = (page: Page) =>
  page.evaluate(() => {
    const marks = window as unknown as PageMarks;
    marks.__sameDocument = true;
    marks.__controllerChanges = 0;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      marks.__controllerChanges = (marks.__controllerChanges ?? 0) + 1;
    });
  });

const isSameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as PageMarks).__sameDocument === true);

const controllerChanges = (page: Page) =>
  page.evaluate(() => (window as unknown as PageMarks).__controllerChanges);

/** Counts the page's `load` events from now on. */
function loadCounter(page: Page): () => number {
  let loads = 0;
  page.on('load', () => {
    loads += 1;
  });
  return () => loads;
}

const releaseMeta = (page: Page) => page.locator(`meta[name="${RELEASE_META}"]`);

test('update: offered while work runs, applied only on request, old caches deleted', async ({ browser }) => {
  test.skip(!existsSync(FACES), MISSING);
  if (!existsSync(join(BUILD, 'sw.js')))
    throw new Error(`${BUILD}/sw.js not found: build first (npx vite build --outDir ${BUILD})`);
  // Two service-worker installs of the whole app and models, two engine starts and two
  // verifications on an emulated, shared machine.
  test.setTimeout(600_000);

  const temp = await mkdtemp(join(tmpdir(), 'facecheck-update-'));
  const current = join(temp, 'current');
  const next = join(temp, 'next');
  await copyRelease(BUILD, current);
  const nextManifest = await makeNextRelease(BUILD, next, ROOT);
  const server = await startBuildServer(current);
  const context = await browser.newContext({ baseURL: server.origin });
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(error.error().message));
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  const loads = loadCounter(page);

  try {
    // 1. First visit: the current release installs. Then a later visit, which starts controlled by
    // it: the page users have open when an update comes.
    await page.goto('/?backend=wasm&e2e');
    await waitForEngine(page);
    await expect(page.getByTestId('offline-status')).toHaveAttribute('data-state', 'ready', {
      timeout: 180_000,
    });
    await page.reload();
    await waitForEngine(page);
    expect(await registrationState(page)).toEqual({ controlled: true, waiting: null, active: 'activated' });
    const currentIndex = JSON.parse(readFileSync(join(current, 'models/index.json'), 'utf8')) as {
      version: string;
    };
    const oldCaches = await cacheNames(page);
    expect(oldCaches).toHaveLength(2);
    expect(oldCaches).toContain(`facecheck-models-${currentIndex.version}`);
    const oldShell = oldCaches.find((name) => name.startsWith('facecheck-shell-'));
    expect(oldShell).toBeDefined();
    const newCaches = [modelCacheName(nextManifest), shellCacheName(nextManifest)].sort();
    expect(
      newCaches.filter((name) => oldCaches.includes(name)),
      'the next release is really new',
    ).toEqual([]);
    await expect(releaseMeta(page)).toHaveCount(0);
    // A second tab of the app, idle: accepting the update in one tab must not reload the other.
    const otherTab = await context.newPage();
    const otherLoads = loadCounter(otherTab);
    await otherTab.goto('/?backend=wasm&e2e');
    await waitForEngine(otherTab);
    await markDocument(page);
    await markDocument(otherTab);

    // 2. Work starts, then the next release is deployed and the page checks for it.
    await startVerification(page, [
      'bbt/sheldon/sheldon2.png',
      'bbt/leonard/leonard1.png',
      'bbt/penny/penny1.png',
    ]);
    const pendingAtUpdate = Number(await page.getByTestId('summary').getAttribute('data-pending'));
    expect(pendingAtUpdate, 'the update arrives in the middle of work').toBeGreaterThan(0);
    const loadsBeforeUpdate = loads();
    server.deploy(next);
    const updateStarted = Date.now();
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });

    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toBeVisible({ timeout: 180_000 });
    const pendingAtPrompt = await page.getByTestId('summary').getAttribute('data-pending');
    console.log(
      `next release installed and offered in ${Date.now() - updateStarted} ms; ` +
        `photos still pending then: ${pendingAtPrompt} (of ${pendingAtUpdate} at the update check)`,
    );
    await expect(otherTab.getByTestId('update-prompt')).toBeVisible();
    // While the prompt shows: the work finishes in the same document, untouched, and new work
    // still runs (one more photo joins the session).
    await expectVerdicts(page, 1, 2);
    await page.getByTestId('tests-input').setInputFiles(photo('bbt/howard/howard1.png'));
    await expectVerdicts(page, 1, 3);
    await expect(page.getByTestId('summary')).toHaveAttribute('data-total', '4');
    await expect(prompt).toBeVisible();
    expect(await isSameDocument(page), 'no reload before the user accepts').toBe(true);
    expect(loads()).toBe(loadsBeforeUpdate);
    expect(await controllerChanges(page), 'the new worker waits').toBe(0);
    expect(await registrationState(page)).toEqual({
      controlled: true,
      waiting: 'installed',
      active: 'activated',
    });
    // The new version is fully cached before it is offered; nothing old is gone yet.
    expect(await cacheNames(page)).toEqual([...oldCaches, ...newCaches].sort());

    // 3. The user accepts: skip-waiting, the new worker takes control, one reload.
    await Promise.all([
      page.waitForEvent('load', { timeout: 120_000 }),
      prompt.getByRole('button', { name: 'Update now' }).click(),
    ]);
    await waitForEngine(page);
    expect(await isSameDocument(page)).toBe(false);
    await expect(releaseMeta(page), 'the page is the new release').toHaveCount(1);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);

    // The other tab: now controlled by the new worker, yet not reloaded; it reloads when its own
    // user accepts (the worker is no longer waiting by then).
    expect(await controllerChanges(otherTab)).toBe(1);
    expect(await isSameDocument(otherTab), 'the other tab is not reloaded').toBe(true);
    expect(otherLoads()).toBe(1);
    const otherPrompt = otherTab.getByTestId('update-prompt');
    await expect(otherPrompt).toBeVisible();
    await Promise.all([
      otherTab.waitForEvent('load', { timeout: 120_000 }),
      otherPrompt.getByRole('button', { name: 'Update now' }).click(),
    ]);
    await expect(releaseMeta(otherTab)).toHaveCount(1);
    expect(otherLoads()).toBe(2);
    await otherTab.close();

    expect(await registrationState(page)).toEqual({ controlled: true, waiting: null, active: 'activated' });
    await expect
      .poll(() => cacheNames(page), { message: 'only the new release caches remain' })
      .toEqual(newCaches);
    const newShellFiles = await page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname),
      shellCacheName(nextManifest),
    );
    expect(newShellFiles.filter((p) => p.endsWith('.wasm')).length, 'WASM carried over').toBeGreaterThan(0);
    // Not the first visit any more: no "Preparing offline use" card again.
    await expect(page.getByTestId('offline-status')).toHaveCount(0);
    expect(loads() - loadsBeforeUpdate, 'exactly one reload').toBe(1);

    // 4. Offline, the new release starts and verifies from its caches.
    await context.setOffline(true);
    await page.reload();
    await waitForEngine(page);
    await expect(releaseMeta(page)).toHaveCount(1);
    await startVerification(page, ['bbt/sheldon/sheldon2.png', 'bbt/leonard/leonard1.png']);
    await expectVerdicts(page, 1, 1);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await server.close();
    await rm(temp, { recursive: true, force: true });
  }
});
