/**
 * Smoke test of the built app in Debian's Chromium: the page loads, the worker loads every model on
 * WebGL (SwiftShader here) and on WASM, every converted model run inside the worker reproduces the
 * TFLite runtime's outputs (../shared/fixtures/tflite-reference.json) with the backend's own kernels
 * and flags, and nothing is fetched from another origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { MODEL_IDS, MODEL_SPECS } from '../src/models/specs.ts';
import type { BackendName, EngineStatus, GraphModelId } from '../src/worker/api.ts';
import { secondEngineSettled } from './support/page-watch.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixturePath = resolve(projectRoot, '../shared/fixtures/tflite-reference.json');
const FIXTURE_MISSING = `${fixturePath} not found: the model parity checks need ../shared beside the project`;

interface ModelFixture {
  input: { shape: number[]; formula: 'signed' | 'unit' };
  /** Small outputs in full (`data`), large ones by their first 64 values. */
  outputs: Record<string, { shape: number[]; data?: number[]; first64?: number[] }>;
  tolerance: { atol_float32: number; atol_webgl_float32: number };
}

/**
 * Fixture name → model. The MTCNN weights have the Caffe-era transpose baked in, so their fixture
 * input is fed with axes 1 and 2 swapped and the outputs are swapped back before comparing.
 */
const FIXTURE_MODELS: ReadonlyArray<{ fixture: string; id: GraphModelId; transposed: boolean }> = [
  { fixture: 'pnet', id: 'pnet', transposed: true },
  { fixture: 'rnet', id: 'rnet', transposed: true },
  { fixture: 'onet', id: 'onet', transposed: true },
  { fixture: 'MobileFaceNet', id: 'mobilefacenet', transposed: false },
  { fixture: 'FaceAntiSpoofing', id: 'antispoof', transposed: false },
];

function readModelFixture(name: string): ModelFixture | null {
  if (!existsSync(fixturePath)) return null;
  const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
    models: Record<string, ModelFixture | undefined>;
  };
  return fixture.models[name] ?? null;
}

interface Dense {
  shape: number[];
  data: number[];
}

/**
 * The fixture's documented inputs, stored as float32: "signed" x[i] = ((i·37) mod 255) / 127.5 − 1,
 * "unit" x[i] = ((i·37) mod 255) / 255.
 */
function formulaInput(shape: number[], formula: 'signed' | 'unit'): Dense {
  const size = shape.reduce((n, d) => n * d, 1);
  const value = (i: number) => (formula === 'signed' ? ((i * 37) % 255) / 127.5 - 1 : ((i * 37) % 255) / 255);
  return { shape, data: Array.from(Float32Array.from({ length: size }, (_, i) => value(i))) };
}

/**
 * [N, A, B, C] → [N, B, A, C]. The MTCNN weights have the Caffe-era transpose baked in, so the
 * fixture input is fed with axes 1 and 2 swapped and the outputs are swapped back before comparing.
 */
function swapAxes12({ shape, data }: Dense): Dense {
  const [n = 1, a = 1, b = 1, c = 1] = shape;
  const out = new Array<number>(data.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < a; y++)
      for (let x = 0; x < b; x++)
        for (let k = 0; k < c; k++)
          out[((i * b + x) * a + y) * c + k] = data[((i * a + y) * b + x) * c + k] ?? Number.NaN;
  return { shape: [n, b, a, c], data: out };
}

function maxAbsDiff(actual: number[], expected: number[]): number {
  return expected.reduce((max, e, i) => Math.max(max, Math.abs((actual[i] ?? Number.NaN) - e)), 0);
}

/** True for anything the page loaded from its own origin, or from memory (blob:, data:). */
function isLocal(url: string, origin: string): boolean {
  const parsed = new URL(url);
  return parsed.origin === origin || parsed.protocol === 'blob:' || parsed.protocol === 'data:';
}

/** Waits for the engine to settle; fails at once with the error card's text if it did not start. */
async function waitForEngine(page: Page): Promise<void> {
  const phase = page.getByTestId('engine-phase');
  await expect(phase).toHaveAttribute('data-phase', /^(ready|error)$/, { timeout: 180_000 });
  if ((await phase.getAttribute('data-phase')) === 'error') {
    throw new Error(`engine failed to start: ${await page.getByTestId('engine-error').textContent()}`);
  }
}

test('the built app loads and shows the engine status', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'FaceCheck' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Engine status' })).toBeVisible();
  await waitForEngine(page);
  await expect(page.locator('tr[data-state="loaded"]')).toHaveCount(MODEL_IDS.length);
});

test('a missing model file shows an error card naming the model and the fix', async ({ page }) => {
  // Simulates a checkout where `npm run models` has not produced O-Net.
  await page.route('**/models/onet/model.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('engine-phase')).toHaveAttribute('data-phase', 'error', { timeout: 180_000 });
  const card = page.getByRole('alert');
  await expect(card).toContainText('Model “onet” could not be loaded');
  await expect(card).toContainText('npm run models');
  await expect(page.locator('tr[data-model="onet"]')).toHaveAttribute('data-state', 'failed');
});

for (const backend of ['webgl', 'wasm'] as const satisfies readonly BackendName[]) {
  test.describe(`on ${backend}`, () => {
    test.describe.configure({ mode: 'serial' });

    let context: BrowserContext;
    let page: Page;
    let status: EngineStatus;
    const requests: string[] = [];
    const pageErrors: string[] = [];

    // One cold page per backend (fresh context, empty HTTP cache) shared by the tests below.
    test.beforeAll(async ({ browser }, testInfo) => {
      context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
      context.on('request', (request) => requests.push(request.url()));
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') console.log(`[${backend}] console error: ${message.text()}`);
      });

      const started = Date.now();
      await page.goto(`/?backend=${backend}&e2e`);
      await waitForEngine(page);
      const pageMs = Date.now() - started;

      status = await page.evaluate(() => {
        const hook = window.__facecheck;
        if (hook === undefined) throw new Error('window.__facecheck missing: was ?e2e passed?');
        return hook.client.status();
      });
      const perModel = status.models.map((m) => `${m.id} ${Math.round(m.loadMs)} ms`).join(', ');
      const summary =
        `${backend}: page→ready ${pageMs} ms, worker init ${Math.round(status.initMs)} ms (${perModel}); ` +
        `renderer ${JSON.stringify(status.renderer)}, software ${status.isSoftwareRenderer}, wasm ${JSON.stringify(status.wasm)}`;
      console.log(summary);
      testInfo.annotations.push({ type: 'cold load', description: summary });
    });

    test.afterAll(async () => {
      await context?.close();
    });

    test('the worker reports every model loaded', async () => {
      expect(status.backend).toBe(backend);
      // Ready means the models of the first photo; the rest load right after (MODEL_SPECS.loading).
      const atStart = MODEL_IDS.filter((id) => MODEL_SPECS[id].loading === 'start');
      expect(status.models.slice(0, atStart.length).map((m) => m.id)).toEqual(atStart);
      await expect(page.locator('tr[data-state="loaded"]')).toHaveCount(MODEL_IDS.length, {
        timeout: 60_000,
      });
      const settled = await page.evaluate(() => {
        const hook = window.__facecheck;
        if (hook === undefined) throw new Error('window.__facecheck missing: was ?e2e passed?');
        return hook.client.status();
      });
      expect(settled.models.map((m) => m.id)).toEqual(MODEL_IDS);
      for (const model of settled.models) {
        expect(model.bytes, model.id).toBeGreaterThan(0);
        expect(model.loadMs, model.id).toBeGreaterThanOrEqual(0);
      }
      // The second engine runs beside WASM (2 cores here), never beside WebGL (docs/offload.md).
      expect(status.secondEngine).toBe(backend === 'wasm');
      await expect(page.getByTestId('second-engine')).toHaveText(backend === 'wasm' ? 'On' : 'Off');
      // Before any photo, the warm-up pass (src/pipeline/warm-up.ts) has sent the second engine one
      // piece for each of its nets, so both engines' one-time costs are paid; none on WebGL.
      const second = await secondEngineSettled(page);
      if (backend === 'wasm') expect(second).toMatchObject({ phase: 'running', answered: 4 });
      else expect(second).toBeNull();
      if (backend === 'webgl') {
        expect(status.renderer, 'GL renderer string').toBeTruthy();
        await expect(page.getByTestId('renderer')).toHaveText(status.renderer ?? '');
      } else {
        expect(status.wasm?.simd).toBe(true);
      }
    });

    for (const { fixture, id, transposed } of FIXTURE_MODELS) {
      test(`${fixture} in the worker matches the TFLite reference`, async () => {
        const ref = readModelFixture(fixture);
        test.skip(ref === null, FIXTURE_MISSING);
        if (ref === null) return;
        const atol = backend === 'webgl' ? ref.tolerance.atol_webgl_float32 : ref.tolerance.atol_float32;
        const input = formulaInput(ref.input.shape, ref.input.formula);
        const outputNames = Object.keys(ref.outputs);

        const results = await page.evaluate(
          async ({ id, input, outputs }) => {
            const hook = window.__facecheck;
            if (hook === undefined) throw new Error('window.__facecheck missing');
            const data = Float32Array.from(input.data);
            const out = await hook.client.runModel(id, { shape: input.shape, data }, outputs);
            return out.map((t) => ({ shape: [...t.shape], data: Array.from(t.data) }));
          },
          { id, input: transposed ? swapAxes12(input) : input, outputs: outputNames },
        );

        expect(results).toHaveLength(outputNames.length);
        for (const [i, name] of outputNames.entries()) {
          const expected = ref.outputs[name];
          const result = results[i];
          if (expected === undefined || result === undefined) throw new Error(`missing output ${name}`);
          // Only image-shaped outputs carry the transpose (R-/O-Net's dense outputs are [N, k]).
          const actual = transposed && result.shape.length === 4 ? swapAxes12(result) : result;
          expect(actual.shape, name).toEqual(expected.shape);
          const reference = expected.data ?? expected.first64 ?? [];
          expect(reference.length, `${name} reference values`).toBeGreaterThan(0);
          const diff = maxAbsDiff(actual.data, reference);
          console.log(
            `${backend} ${fixture}/${name}: max |Δ| ${diff.toExponential(2)} over ${reference.length} values (atol ${atol})`,
          );
          expect(diff, name).toBeLessThanOrEqual(atol);
        }
      });
    }

    test('nothing is fetched outside the app origin', async () => {
      const origin = new URL(page.url()).origin;
      // The recorder must see the worker's own traffic, or an empty list would prove nothing.
      expect(requests.some((url) => url.endsWith('/models/index.json'))).toBe(true);
      expect(requests.some((url) => url.endsWith('.wasm'))).toBe(backend === 'wasm');
      expect(requests.filter((url) => !isLocal(url, origin))).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
}
