/**
 * `npm run bench:gallery`: top-k search among 1,000 / 10,000 / 100,000 random 192-d unit
 * embeddings (one batched matMul + topk), ms per probe — in Node on WASM and CPU, and in Chromium on
 * WASM and WebGL through the bench page. Prints JSON.
 *
 * Flags: --sizes a,b,c  --repeats N  --probes N  --node-only  --browser-only  --build-dir DIR
 */
import { parseArgs } from 'node:util';
import type { BackendName, GalleryBenchOptions, GalleryReport } from '../../bench/protocol.ts';
import { DEFAULT_GALLERY_OPTIONS } from '../../bench/protocol.ts';
import { runGalleryPage } from './browser-run.ts';
import { hasChromium } from './chromium.ts';
import { benchGalleryNode } from './gallery-node.ts';
import { log, messageOf } from './log.ts';
import { openBrowserSession } from './session.ts';

const positive = (flag: string, value: string): number => {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`${flag} must be integers ≥ 1, got "${value}"`);
  return n;
};

function logRows(where: string, report: GalleryReport): void {
  for (const row of report.rows) {
    log(
      `${where} ${report.backend} ${row.size}: app ${row.appMsPerProbe.median.toFixed(2)} ms/probe, ` +
        `resident ${row.residentMsPerProbe.median.toFixed(2)} ms/probe, correct ${row.correct}`,
    );
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      repeats: { type: 'string' },
      probes: { type: 'string' },
      'node-only': { type: 'boolean', default: false },
      'browser-only': { type: 'boolean', default: false },
      'build-dir': { type: 'string' },
    },
  });
  const options: GalleryBenchOptions = {
    ...DEFAULT_GALLERY_OPTIONS,
    sizes: values.sizes?.split(',').map((s) => positive('--sizes', s)) ?? DEFAULT_GALLERY_OPTIONS.sizes,
    repeats:
      values.repeats === undefined ? DEFAULT_GALLERY_OPTIONS.repeats : positive('--repeats', values.repeats),
    probes:
      values.probes === undefined ? DEFAULT_GALLERY_OPTIONS.probes : positive('--probes', values.probes),
  };
  const node: GalleryReport[] = [];
  const browser: GalleryReport[] = [];
  const errors: string[] = [];
  if (!values['browser-only']) {
    for (const backend of ['wasm', 'cpu'] as const) {
      const report = await benchGalleryNode(backend, options);
      logRows('node', report);
      node.push(report);
    }
  }
  if (!values['node-only']) {
    if (!hasChromium()) {
      log('SKIP browser gallery: /usr/bin/chromium not found');
    } else {
      const session = await openBrowserSession(values['build-dir'] ?? null, []);
      try {
        for (const backend of ['wasm', 'webgl'] as const satisfies readonly BackendName[]) {
          const context = await session.browser.newContext();
          try {
            const report = await runGalleryPage(context, session.server, backend, options, null);
            logRows('chromium', report);
            browser.push(report);
          } catch (error) {
            errors.push(`chromium ${backend}: ${messageOf(error)}`);
            log(`chromium ${backend} FAILED: ${messageOf(error)}`);
          } finally {
            await context.close();
          }
        }
      } finally {
        await session.close();
      }
    }
  }
  process.stdout.write(`${JSON.stringify({ options, node, browser, errors }, null, 2)}\n`);
  return errors.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench:gallery failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
