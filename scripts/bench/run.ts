/**
 * `npm run bench`: FaceCheck vs face-api in headless Chromium on each backend, the gallery search,
 * and FaceCheck on tfjs WASM in Node. JSON on stdout, progress on stderr, a Markdown summary and the
 * raw JSON in bench-results/. See docs/benchmarks.md. Never fails on speed; exits 1 when a run
 * failed or the page fetched anything outside its own origin.
 */
import type { GalleryReport } from '../../bench/protocol.ts';
import { DEFAULT_GALLERY_OPTIONS } from '../../bench/protocol.ts';
import { type BenchOptions, parseBenchArgs, USAGE } from './args.ts';
import { type BrowserBenchResult, benchBrowser } from './browser-bench.ts';
import { hasChromium } from './chromium.ts';
import { benchGalleryNode } from './gallery-node.ts';
import { log, messageOf } from './log.ts';
import { currentLoad, machineInfo } from './machine.ts';
import { benchNode, type NodeBenchReport } from './node-pipeline.ts';
import { hasPhotos, listPhotos, readPhotos, SHARED_MISSING } from './photos.ts';
import { type BenchReport, writeReportFiles } from './report.ts';
import { openBrowserSession } from './session.ts';
import { summariseBackend } from './summary.ts';
import { checkTargets } from './targets.ts';

async function runNodeParts(
  options: BenchOptions,
  photos: Awaited<ReturnType<typeof listPhotos>>,
  errors: string[],
): Promise<{ node: NodeBenchReport | null; galleryNode: GalleryReport[] }> {
  if (!options.node) return { node: null, galleryNode: [] };
  let node: NodeBenchReport | null = null;
  const galleryNode: GalleryReport[] = [];
  try {
    log('Node: FaceCheck pipeline on tfjs WASM…');
    node = await benchNode(photos, { backend: 'wasm', stages: options.stages, detector: options.detector });
    log(`Node wasm: per photo ${node.perPhotoMs.median} ms, ${node.photosPerSecond} photos/s`);
  } catch (error) {
    errors.push(`node pipeline: ${messageOf(error)}`);
  }
  if (options.gallery) {
    const galleryOptions = {
      ...DEFAULT_GALLERY_OPTIONS,
      sizes: options.gallerySizes,
      repeats: options.galleryRepeats,
    };
    for (const backend of ['wasm', 'cpu'] as const) {
      try {
        galleryNode.push(await benchGalleryNode(backend, galleryOptions));
      } catch (error) {
        errors.push(`node gallery ${backend}: ${messageOf(error)}`);
      }
    }
  }
  return { node, galleryNode };
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv);
  if (options === null) {
    log(USAGE);
    return 0;
  }
  if (!hasPhotos()) {
    log(`SKIP: ${SHARED_MISSING}`);
    process.stdout.write(`${JSON.stringify({ skipped: SHARED_MISSING })}\n`);
    return 0;
  }
  const started = performance.now();
  const machine = machineInfo();
  const photos = await listPhotos(options.photos, options.categories);
  log(
    `${photos.length} photos, backends ${options.backends.join(', ')}, peers ${options.peers.join(', ') || 'none'}, ${options.rounds} round(s); load average ${machine.loadAverageAtStart} on ${machine.logicalCores} cores`,
  );
  const errors: string[] = [];

  let browser: BrowserBenchResult = { backends: [], gallery: [], galleryErrors: [] };
  let chromium: string | null = null;
  if (!hasChromium()) {
    errors.push('/usr/bin/chromium not found: browser benchmarks skipped');
    log(`SKIP: ${errors[errors.length - 1]}`);
  } else {
    const session = await openBrowserSession(options.buildDir, await readPhotos(photos));
    try {
      chromium = session.chromiumVersion;
      browser = await benchBrowser(session.browser, session.server, options, photos.length);
    } finally {
      await session.close();
    }
  }
  const { node, galleryNode } = await runNodeParts(options, photos, errors);

  const backends = browser.backends.map(summariseBackend);
  errors.push(...backends.flatMap((b) => b.errors), ...browser.galleryErrors);
  const foreign = [
    ...backends.flatMap((b) => b.foreignRequests),
    ...browser.gallery.flatMap((g) => g.foreignRequests),
  ];
  if (foreign.length > 0) errors.push(`requests outside the bench origin: ${foreign.join(', ')}`);
  const gallery: GalleryReport[] = browser.gallery.map(({ backend, options: o, rows }) => ({
    backend,
    options: o,
    rows,
  }));
  const report: BenchReport = {
    meta: {
      date: new Date().toISOString(),
      machine,
      loadAverageAtEnd: currentLoad(),
      chromium,
      photos: photos.map((p) => p.name),
      categories: options.categories,
      rounds: options.rounds,
      passes: options.passes,
      stages: options.stages,
      wasmThreadsRequested: options.wasmThreads,
      peerWasmThreadsRequested: options.peerWasmThreads,
      secondEngine: options.secondEngine,
      detector: options.detector,
      durationS: Math.round((performance.now() - started) / 1000),
    },
    backends,
    gallery,
    galleryNode,
    node,
    targets: checkTargets(backends, gallery, photos.length * options.passes),
    errors,
  };
  const mdPath = await writeReportFiles(options.outDir, report, browser.backends);
  log(`Markdown report: ${mdPath}`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  for (const error of errors) log(`ERROR: ${error}`);
  return errors.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
