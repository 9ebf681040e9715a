/**
 * The bench page: starts the bench worker for the engine and backend named in the URL as soon as
 * the page loads (so cold start is measured from navigation), and exposes `window.__bench` for the
 * runner (scripts/bench) to drive with page.evaluate. Photos are fetched from our own origin into
 * page memory before any timing and handed to the worker as ArrayBuffers.
 */
import { transfer, wrap } from 'comlink';
import { isBackendName } from '../src/worker/api.ts';
import { type BenchPageApi, type BenchWorkerApi, paramsFromQuery, type ReadyReport } from './protocol.ts';

function createBenchPage(): BenchPageApi {
  const params = paramsFromQuery(location.search, isBackendName);
  const thread = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
  // A worker that fails to load or throws at top level never answers: fail every call instead.
  const died = new Promise<never>((_, reject) => {
    thread.addEventListener('error', (event) => reject(new Error(`bench worker error: ${event.message}`)));
  });
  died.catch(() => {});
  const guard = <T>(call: Promise<T>): Promise<T> => Promise.race([call, died]);
  const worker = wrap<BenchWorkerApi>(thread);
  const ready: Promise<ReadyReport> = guard(worker.init(params)).then((report) => ({
    ...report,
    coldStartMs: performance.now(),
  }));
  const settled = async () => {
    const { coldStartMs } = await ready;
    const report = await guard(worker.settled());
    return { ...report, readyToSettledMs: performance.now() - coldStartMs };
  };
  // Reported by ready(); a rejection must not surface earlier as an unhandled one.
  ready.catch(() => {});
  const photos: { name: string; bytes: ArrayBuffer }[] = [];

  const analyze = async (index: number) => {
    const photo = photos[index];
    if (photo === undefined) throw new Error(`no fetched photo #${index}`);
    // A copy is transferred so the page keeps its bytes for the next pass.
    const bytes = photo.bytes.slice(0);
    const started = performance.now();
    const timing = await guard(worker.analyze(photo.name, transfer(bytes, [bytes])));
    return { timing, roundTripMs: performance.now() - started };
  };

  return {
    ready: () => ready,
    async fetchPhotos(urls) {
      photos.length = 0;
      for (const url of urls) {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
        const name = new URL(url, location.href).searchParams.get('name') ?? url;
        photos.push({ name, bytes: await response.arrayBuffer() });
      }
      return photos.length;
    },
    analyze,
    async pass() {
      const started = performance.now();
      const timings = [];
      for (let i = 0; i < photos.length; i++) timings.push((await analyze(i)).timing);
      return { photos: timings, wallMs: performance.now() - started };
    },
    settled,
    memory: () => guard(worker.memory()),
    gallery: (options) => guard(worker.gallery(options)),
  };
}

window.__bench = createBenchPage();
