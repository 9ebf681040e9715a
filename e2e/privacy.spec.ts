/**
 * Issue 6, privacy enforced and offline use, in Debian's Chromium on the WASM backend with real
 * photos from ../shared/data/faces:
 *
 * 1. A full verification and an identification run record every request the page, its workers and
 *    the service worker make: none leaves the app's origin. The CSP is in force (the page's <meta>
 *    and header, the inference worker's header; none allows 'unsafe-eval') and nothing violates it.
 * 2. The first visit prepares offline use (the service worker caches the app, the models under the
 *    index.json version, and the WASM binaries); the manifest passes Chromium's installability
 *    checks. Then, offline, a reload starts the app and runs a full verification again.
 * 3. The WebGL backend also loads and runs the models under the same CSP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { runningSecondEngine } from './support/page-watch.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const FACES = resolve(HERE, '../../shared/data/faces');
const MODEL_INDEX = resolve(HERE, '../public/models/index.json');
const MISSING = `${FACES} not found: the privacy e2e needs real photos in ../shared/data/faces beside the project`;

const photo = (path: string) => ({
  name: path.split('/').pop() ?? path,
  mimeType: path.endsWith('.png') ? 'image/png' : 'image/jpeg',
  buffer: readFileSync(resolve(FACES, path)),
});

/** Everything a context did that matters for privacy, collected from the first request on. */
interface Recorder {
  readonly requests: string[];
  /** Content-Security-Policy header of each script response, by path. */
  readonly scriptPolicies: Map<string, string>;
  /** Console messages (page and workers) reporting a CSP violation, and uncaught page errors. */
  readonly problems: string[];
}

function record(context: BrowserContext): Recorder {
  const recorder: Recorder = { requests: [], scriptPolicies: new Map(), problems: [] };
  // Context-level: requests of the page, its workers and the service worker alike.
  context.on('request', (request) => recorder.requests.push(request.url()));
  context.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.endsWith('.js'))
      recorder.scriptPolicies.set(pathname, response.headers()['content-security-policy'] ?? '');
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) recorder.problems.push(`console: ${message.text()}`);
  });
  context.on('weberror', (error) => recorder.problems.push(`page error: ${error.error().message}`));
  return recorder;
}

/** `securitypolicyviolation` events of every page, from before its first script runs. */
async function watchViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
}

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);

/** Same origin, or in-memory (blob:, data:). */
function offOrigin(urls: readonly string[], origin: string): string[] {
  return urls.filter((url) => {
    const { protocol, origin: o } = new URL(url);
    return !(o === origin || protocol === 'blob:' || protocol === 'data:');
  });
}

async function waitForEngine(page: Page, backend: string): Promise<void> {
  const phase = page.getByTestId('engine-phase');
  await expect(phase).toHaveAttribute('data-phase', /^(ready|error)$/, { timeout: 120_000 });
  if ((await phase.getAttribute('data-phase')) === 'error')
    throw new Error(`engine failed: ${await page.getByTestId('engine-error').textContent()}`);
  const status = await page.evaluate(() => window.__facecheck?.client.status());
  expect(status?.backend, 'the engine runs on the backend under test').toBe(backend);
}

/** Reference sheldon1 against another Sheldon and someone else: one match, one no-match. */
async function verifyOnce(page: Page): Promise<void> {
  await page.getByTestId('reference-input').setInputFiles(photo('bbt/sheldon/sheldon1.png'));
  await page
    .getByTestId('tests-input')
    .setInputFiles([photo('bbt/sheldon/sheldon2.png'), photo('bbt/leonard/leonard1.png')]);
  const summary = page.getByTestId('summary');
  await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 90_000 });
  await expect(summary).toHaveAttribute('data-match', '1');
  await expect(summary).toHaveAttribute('data-no-match', '1');
  await expect(page.locator('[data-testid="photo-result"][data-file="sheldon2.png"]')).toHaveAttribute(
    'data-outcome',
    'match',
  );
}

/** Two people, one photo each, and two probes labelled with their names. */
async function identifyOnce(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Identify faces' }).click();
  for (const [name, file] of [
    ['Penny', 'bbt/penny/penny1.png'],
    ['Raj', 'bbt/raj/raj1.png'],
  ] as const) {
    await page.getByTestId('person-name').fill(name);
    await page.getByRole('button', { name: 'Add person' }).click();
    await page
      .locator(`[data-testid="person"][data-name="${name}"]`)
      .getByTestId('enrol-input')
      .setInputFiles(photo(file));
  }
  await page
    .getByTestId('probes-input')
    .setInputFiles([photo('bbt/penny/penny3.png'), photo('bbt/raj/raj3.png')]);
  for (const [file, label] of [
    ['penny3.png', 'Penny'],
    ['raj3.png', 'Raj'],
  ] as const) {
    await expect(page.locator(`[data-testid="identity-result"][data-file="${file}"]`)).toHaveAttribute(
      'data-label',
      label,
      { timeout: 90_000 },
    );
  }
}

/** Names and URL counts of this origin's caches. */
const cacheContents = (page: Page) =>
  page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });

test('privacy: no request leaves the origin, the CSP holds, and verification works offline', async ({
  browser,
}, testInfo) => {
  test.skip(!existsSync(FACES), MISSING);
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const recorder = record(context);
  await watchViolations(context);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });

  const response = await page.goto('/?backend=wasm&e2e');
  const origin = new URL(page.url()).origin;
  // The policy is really in force: header and <meta>, neither allowing eval.
  const documentCsp = response?.headers()['content-security-policy'] ?? '';
  expect(documentCsp).toContain("default-src 'self'");
  expect(documentCsp).toContain("connect-src 'self'");
  expect(documentCsp).not.toContain('unsafe-eval');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
  await waitForEngine(page, 'wasm');

  // First visit: the one-time offline preparation runs to "ready".
  const offline = page.getByTestId('offline-status');
  await expect(offline).toHaveAttribute('data-state', /^(preparing|ready)$/, { timeout: 30_000 });
  await expect(offline).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${origin}/sw.js`);
  const cached = await cacheContents(page);
  const names = Object.keys(cached);
  expect(names.some((n) => n.startsWith('facecheck-shell-'))).toBe(true);
  const index = JSON.parse(readFileSync(MODEL_INDEX, 'utf8')) as { version: string };
  // Models are cached under the index.json version key, and nothing but app files is cached.
  const modelCache = cached[`facecheck-models-${index.version}`] ?? [];
  expect(modelCache).toContain('/models/index.json');
  expect(modelCache.some((p) => p.endsWith('/mobilefacenet/group1-shard1of1.bin'))).toBe(true);
  const allCached = Object.values(cached).flat();
  expect(allCached.filter((p) => p.endsWith('.wasm')).length, 'WASM binaries cached').toBeGreaterThan(0);
  expect(allCached.filter((p) => !/^\/($|assets\/|models\/|icons\/|manifest\.webmanifest$)/.test(p))).toEqual(
    [],
  );

  // Installable: a valid manifest and no installability error but the test browser's own
  // off-the-record profile (Playwright contexts are incognito, which Chromium never installs from).
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toBe(`${origin}/manifest.webmanifest`);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  await cdp.detach();

  await verifyOnce(page);
  await identifyOnce(page);

  // The inference worker runs under its own policy (from its script's header): WASM may compile,
  // the WASM pthreads may start from blob:, and still no 'unsafe-eval'.
  const workerPolicy = [...recorder.scriptPolicies].find(([path]) => path.includes('/assets/worker-'))?.[1];
  expect(workerPolicy).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
  expect(workerPolicy).not.toContain("'unsafe-eval'");
  expect(await page.evaluate(() => window.__facecheck?.client.status().then((s) => s.wasm?.simd))).toBe(true);

  expect(recorder.requests.some((url) => url.endsWith('/models/index.json'))).toBe(true);
  expect(offOrigin(recorder.requests, origin)).toEqual([]);
  expect(await violations(page)).toEqual([]);
  expect(recorder.problems).toEqual([]);

  // Offline: the reload comes from the service worker, and a full verification runs again.
  const beforeOffline = recorder.requests.length;
  await context.setOffline(true);
  const started = Date.now();
  await page.reload();
  await waitForEngine(page, 'wasm');
  console.log(`offline reload → engine ready in ${Date.now() - started} ms`);
  // The second engine's worker and its copy of the nets come from the caches too (docs/offload.md).
  const second = await runningSecondEngine(page);
  expect(second.nets).toContain('mobilefacenet');
  await verifyOnce(page);
  // More than the warm-up's pieces (src/pipeline/warm-up.ts): the photos' own.
  expect(
    (await runningSecondEngine(page)).answered,
    'pieces of photos the second engine computed offline',
  ).toBeGreaterThan(second.answered);
  expect(offOrigin(recorder.requests.slice(beforeOffline), origin)).toEqual([]);
  expect(await violations(page)).toEqual([]);
  await context.close();
});

test('WebGL runs the models under the same CSP, without unsafe-eval', async ({ browser }, testInfo) => {
  // No service worker: this checks the engine and the policy, not offline use. A whole photo on
  // SwiftShader's emulated GPU takes minutes here, so this runs P-Net (shaders compiled and run
  // through the same tfjs code paths) after all models load; e2e/smoke.spec.ts checks its numbers.
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    serviceWorkers: 'block',
  });
  const recorder = record(context);
  await watchViolations(context);
  const page = await context.newPage();
  await page.goto('/?backend=webgl&e2e');
  await waitForEngine(page, 'webgl');
  const shape = await page.evaluate(async () => {
    const hook = window.__facecheck;
    if (hook === undefined) throw new Error('window.__facecheck missing');
    const data = new Float32Array(1 * 24 * 24 * 3).fill(0.1);
    const [prob] = await hook.client.runModel('pnet', { shape: [1, 24, 24, 3], data }, ['pnet/prob1']);
    return prob?.shape;
  });
  expect(shape).toEqual([1, 7, 7, 2]);
  expect(offOrigin(recorder.requests, new URL(page.url()).origin)).toEqual([]);
  expect(await violations(page)).toEqual([]);
  expect(recorder.problems).toEqual([]);
  await context.close();
});
