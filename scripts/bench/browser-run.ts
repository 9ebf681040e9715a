/**
 * One page load of the bench page, driven with Playwright: engine ready (cold start), photos
 * fetched (untimed), memory, the first photo (first-result latency, includes warm-up), memory,
 * `passes` passes over every photo, memory. Also records any request that left the origin.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import {
  type BackendName,
  DEFAULT_LEVERS,
  type DetectorLevers,
  type GalleryBenchOptions,
  type GalleryReport,
  type PassReport,
  type PhotoEngineName,
  type PhotoTiming,
  paramsToQuery,
  type ReadyReport,
  type SettledReport,
  type TfMemoryReport,
} from '../../bench/protocol.ts';
import type { BenchServer } from './static-server.ts';
import { type HeapUsage, optionalWorkerHeap, workerHeap } from './worker-heap.ts';

export interface RunSpec {
  readonly engine: PhotoEngineName;
  readonly backend: BackendName;
  readonly stages: boolean;
  readonly wasmThreads: number | null;
  readonly secondEngine: boolean;
  readonly detector: DetectorLevers;
  /** 1-based; round 1 is the first page load of its browser context (empty HTTP cache). */
  readonly round: number;
  /**
   * Passes over the photos after the first result. With 2 or more, the first is reported apart as
   * "first sight" (each photo's shapes new to the page: WebGL compiles shaders per new shape) and
   * the last as the steady state.
   */
  readonly passes: number;
}

export interface MemorySnapshot {
  readonly tf: TfMemoryReport;
  /** The bench worker's heap plus, when it runs, FaceCheck's second engine's (docs/offload.md). */
  readonly heap: HeapUsage;
  /** Of `heap`, the second engine's part; null when there is none. */
  readonly secondEngineHeap: HeapUsage | null;
}

export interface RunReport extends RunSpec {
  readonly ready: ReadyReport;
  readonly settled: SettledReport;
  /** The first photo, sent once the engine has settled. */
  readonly first: { readonly timing: PhotoTiming; readonly roundTripMs: number };
  /** The last pass: every photo seen before in this page. */
  readonly pass: PassReport;
  /** The first pass, when there was more than one. */
  readonly firstSight: PassReport | null;
  /** The engine settled (every model loaded, warmed up), no photo yet. */
  readonly before: MemorySnapshot;
  /** After the first photo: kernels, shaders and buffers of the first inference are in place. */
  readonly warm: MemorySnapshot;
  /**
   * After the first full pass, when there are more: every photo size has been seen once, so caches
   * keyed by shape are filled. Growth from here to `after` is what a long batch accumulates.
   */
  readonly steady: MemorySnapshot | null;
  /** After the last pass. */
  readonly after: MemorySnapshot;
  /** Requests to anything but the bench origin (must stay empty). */
  readonly foreignRequests: readonly string[];
  readonly pageErrors: readonly string[];
}

/**
 * A page load that takes longer than this is closed and reported as failed: a safety net against a
 * hung engine, far above any real run (the slowest, software WebGL on every photo, takes minutes).
 */
const RUN_TIMEOUT_MS = 30 * 60_000;

/** Closes `page` if it is still open after RUN_TIMEOUT_MS; returns the cancel function. */
function watchdog(page: Page): { cancel: () => void; fired: () => boolean } {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    void page.close().catch(() => {});
  }, RUN_TIMEOUT_MS);
  return { cancel: () => clearTimeout(timer), fired: () => fired };
}

/** The bench worker's script name, to find its DevTools target. */
const WORKER_SCRIPT = 'bench-worker';
const SECOND_ENGINE_SCRIPT = 'offload-worker';

const isLocal = (url: string, origin: string) => {
  const parsed = new URL(url);
  return parsed.origin === origin || parsed.protocol === 'blob:' || parsed.protocol === 'data:';
};

/** Opens the bench page in `context`, collecting foreign requests and page errors until closed. */
async function openBenchPage(
  context: BrowserContext,
  server: BenchServer,
  query: string,
): Promise<{ page: Page; foreign: string[]; errors: string[] }> {
  const foreign: string[] = [];
  const errors: string[] = [];
  const onRequest = (request: Request) => {
    if (!isLocal(request.url(), server.origin)) foreign.push(request.url());
  };
  context.on('request', onRequest);
  const page = await context.newPage();
  page.once('close', () => context.off('request', onRequest));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  // Software-GL runs are slow; the runner, not a timeout, decides when to give up.
  page.setDefaultTimeout(0);
  await page.goto(`${server.origin}/index.html?${query}`, { timeout: 120_000 });
  return { page, foreign, errors };
}

async function ready(page: Page): Promise<ReadyReport> {
  return page.evaluate(() => {
    const bench = window.__bench;
    if (bench === undefined) throw new Error('window.__bench missing: the bench page did not start');
    return bench.ready();
  });
}

async function snapshot(browser: Browser, page: Page, origin: string): Promise<MemorySnapshot> {
  const tf = await page.evaluate(() => (window.__bench as NonNullable<Window['__bench']>).memory());
  const main = await workerHeap(browser, origin, WORKER_SCRIPT);
  const second = await optionalWorkerHeap(browser, origin, SECOND_ENGINE_SCRIPT);
  const heap =
    second === null
      ? main
      : {
          usedBytes: main.usedBytes + second.usedBytes,
          totalBytes: main.totalBytes + second.totalBytes,
          codeBytes: main.codeBytes + second.codeBytes,
        };
  return { tf, heap, secondEngineHeap: second };
}

export async function runPhotoEngine(
  browser: Browser,
  context: BrowserContext,
  server: BenchServer,
  spec: RunSpec,
  photoCount: number,
): Promise<RunReport> {
  const { page, foreign, errors } = await openBenchPage(context, server, paramsToQuery({ ...spec }));
  const timer = watchdog(page);
  try {
    const readyReport = await ready(page);
    const urls = Array.from({ length: photoCount }, (_, i) => server.photoUrl(i));
    await page.evaluate((list) => (window.__bench as NonNullable<Window['__bench']>).fetchPhotos(list), urls);
    // What the engine does on its own after ready (FaceCheck: background models, the second engine's
    // nets, the warm-up pass) ends before the first photo, as it usually has when a user adds one.
    const settled = await page.evaluate(() => (window.__bench as NonNullable<Window['__bench']>).settled());
    const before = await snapshot(browser, page, server.origin);
    const first = await page.evaluate(() => (window.__bench as NonNullable<Window['__bench']>).analyze(0));
    const warm = await snapshot(browser, page, server.origin);
    const passes: PassReport[] = [];
    let steady: MemorySnapshot | null = null;
    for (let i = 0; i < spec.passes; i++) {
      passes.push(await page.evaluate(() => (window.__bench as NonNullable<Window['__bench']>).pass()));
      if (i === 0 && spec.passes > 1) steady = await snapshot(browser, page, server.origin);
    }
    const pass = passes[passes.length - 1] as PassReport;
    const firstSight = passes.length > 1 ? (passes[0] as PassReport) : null;
    const after = await snapshot(browser, page, server.origin);
    return {
      ...spec,
      ready: readyReport,
      settled,
      first,
      pass,
      firstSight,
      before,
      warm,
      steady,
      after,
      foreignRequests: foreign,
      pageErrors: errors,
    };
  } catch (error) {
    const detail = errors.length > 0 ? ` (page: ${errors.join(' | ')})` : '';
    const why = timer.fired()
      ? `no result within ${RUN_TIMEOUT_MS / 60_000} min`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new Error(`${spec.engine} on ${spec.backend}, round ${spec.round}: ${why}${detail}`);
  } finally {
    timer.cancel();
    await page.close();
  }
}

/** The gallery search benchmark on `backend`, in a page of its own (no models loaded). */
export async function runGalleryPage(
  context: BrowserContext,
  server: BenchServer,
  backend: BackendName,
  options: GalleryBenchOptions,
  wasmThreads: number | null,
): Promise<GalleryReport & { readonly ready: ReadyReport; readonly foreignRequests: readonly string[] }> {
  const query = paramsToQuery({
    engine: 'gallery',
    backend,
    stages: false,
    wasmThreads,
    secondEngine: false,
    detector: DEFAULT_LEVERS,
  });
  const { page, foreign } = await openBenchPage(context, server, query);
  const timer = watchdog(page);
  try {
    const readyReport = await ready(page);
    const report = await page.evaluate(
      (o) => (window.__bench as NonNullable<Window['__bench']>).gallery(o),
      options,
    );
    return { ...report, ready: readyReport, foreignRequests: foreign };
  } catch (error) {
    throw timer.fired()
      ? new Error(`gallery on ${backend}: no result within ${RUN_TIMEOUT_MS / 60_000} min`)
      : error;
  } finally {
    timer.cancel();
    await page.close();
  }
}
