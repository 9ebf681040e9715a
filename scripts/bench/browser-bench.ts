/**
 * The browser half of `npm run bench`: per backend, FaceCheck and the peers alternate page loads
 * (A B C A B C …) so slow drift of the machine (other jobs, thermal) lands on all engines alike.
 * Each engine keeps one browser context across rounds: round 1 loads with an empty HTTP cache,
 * later rounds from cache. Then the gallery search runs on WASM and WebGL.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import type { BackendName, GalleryReport, PhotoEngineName, ReadyReport } from '../../bench/protocol.ts';
import { DEFAULT_GALLERY_OPTIONS } from '../../bench/protocol.ts';
import type { BenchOptions } from './args.ts';
import { type RunReport, runGalleryPage, runPhotoEngine } from './browser-run.ts';
import { log, messageOf, ms } from './log.ts';
import type { BenchServer } from './static-server.ts';
import { median } from './stats.ts';

export interface BackendRuns {
  readonly backend: BackendName;
  readonly runs: readonly RunReport[];
  /** Runs that failed, with why (e.g. a backend that does not start). */
  readonly errors: readonly string[];
}

export type BrowserGalleryReport = GalleryReport & {
  readonly ready: ReadyReport;
  readonly foreignRequests: readonly string[];
};

export interface BrowserBenchResult {
  readonly backends: readonly BackendRuns[];
  readonly gallery: readonly BrowserGalleryReport[];
  readonly galleryErrors: readonly string[];
}

const GALLERY_BACKENDS: readonly BackendName[] = ['wasm', 'webgl'];

function runLine(run: RunReport): string {
  const perPhoto = median(run.pass.photos.map((p) => p.totalMs));
  const firstSight =
    run.firstSight === null ? '' : `, first sight ${ms(median(run.firstSight.photos.map((p) => p.totalMs)))}`;
  const faces = run.pass.photos.reduce((n, p) => n + p.faces, 0);
  return (
    `[${run.backend}] round ${run.round} ${run.engine}: ready ${ms(run.ready.coldStartMs)}, ` +
    `first result ${ms(run.first.roundTripMs)}, per photo ${ms(perPhoto)}${firstSight}, ` +
    `${run.pass.photos.length} photos in ${ms(run.pass.wallMs)}, ${faces} faces`
  );
}

async function benchBackend(
  browser: Browser,
  server: BenchServer,
  backend: BackendName,
  options: BenchOptions,
  photoCount: number,
): Promise<BackendRuns> {
  const engines: PhotoEngineName[] = ['facecheck', ...options.peers];
  const contexts = new Map<PhotoEngineName, BrowserContext>();
  const failed = new Set<PhotoEngineName>();
  const runs: RunReport[] = [];
  const errors: string[] = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const engine of engines) {
        // An engine that failed once (say, a backend that cannot start) is not retried every round.
        if (failed.has(engine)) continue;
        let context = contexts.get(engine);
        if (context === undefined) {
          context = await browser.newContext();
          contexts.set(engine, context);
        }
        const spec = {
          engine,
          backend,
          round,
          passes: options.passes,
          stages: options.stages,
          wasmThreads:
            engine === 'facecheck' ? options.wasmThreads : (options.peerWasmThreads ?? options.wasmThreads),
          secondEngine: options.secondEngine,
          detector: options.detector,
        };
        try {
          const run = await runPhotoEngine(browser, context, server, spec, photoCount);
          runs.push(run);
          log(runLine(run));
        } catch (error) {
          failed.add(engine);
          errors.push(messageOf(error));
          log(`[${backend}] round ${round} ${engine} FAILED: ${messageOf(error)}`);
        }
      }
    }
  } finally {
    for (const context of contexts.values()) await context.close();
  }
  return { backend, runs, errors };
}

export async function benchBrowser(
  browser: Browser,
  server: BenchServer,
  options: BenchOptions,
  photoCount: number,
): Promise<BrowserBenchResult> {
  const backends: BackendRuns[] = [];
  for (const backend of options.backends)
    backends.push(await benchBackend(browser, server, backend, options, photoCount));
  const gallery: BrowserGalleryReport[] = [];
  const galleryErrors: string[] = [];
  if (options.gallery) {
    const galleryOptions = {
      ...DEFAULT_GALLERY_OPTIONS,
      sizes: options.gallerySizes,
      repeats: options.galleryRepeats,
    };
    for (const backend of options.backends.filter((b) => GALLERY_BACKENDS.includes(b))) {
      const context = await browser.newContext();
      try {
        const report = await runGalleryPage(context, server, backend, galleryOptions, options.wasmThreads);
        gallery.push(report);
        for (const row of report.rows) {
          log(
            `[${backend}] gallery ${row.size}: app ${row.appMsPerProbe.median.toFixed(2)} ms/probe, resident ${row.residentMsPerProbe.median.toFixed(2)} ms/probe, correct ${row.correct}`,
          );
        }
      } catch (error) {
        galleryErrors.push(`gallery on ${backend}: ${messageOf(error)}`);
        log(`[${backend}] gallery FAILED: ${messageOf(error)}`);
      } finally {
        await context.close();
      }
    }
  }
  return { backends, gallery, galleryErrors };
}
