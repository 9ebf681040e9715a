/**
 * A browser session for the benchmarks: the bench page built (or a given build), served on
 * 127.0.0.1 with the photos, and Debian's Chromium launched. `close()` undoes all of it.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { buildBenchPage } from './build-page.ts';
import { launchChromium } from './chromium.ts';
import { log } from './log.ts';
import type { LoadedPhoto } from './photos.ts';
import { type BenchServer, startBenchServer } from './static-server.ts';

export interface BrowserSession {
  readonly browser: Browser;
  readonly server: BenchServer;
  readonly chromiumVersion: string;
  close(): Promise<void>;
}

export async function openBrowserSession(
  buildDir: string | null,
  photos: readonly LoadedPhoto[],
): Promise<BrowserSession> {
  const started = performance.now();
  const pageDir = buildDir ?? (await buildBenchPage());
  if (buildDir === null)
    log(`bench page built in ${Math.round(performance.now() - started)} ms → ${pageDir}`);
  const removeBuild = async () => {
    if (buildDir === null) await rm(pageDir, { recursive: true, force: true });
  };
  let server: BenchServer | null = null;
  try {
    server = await startBenchServer(pageDir, photos);
    const browser = await launchChromium();
    const opened = server;
    return {
      browser,
      server: opened,
      chromiumVersion: browser.version(),
      async close() {
        await browser.close();
        await opened.close();
        await removeBuild();
      },
    };
  } catch (error) {
    await server?.close();
    await removeBuild();
    throw error;
  }
}
