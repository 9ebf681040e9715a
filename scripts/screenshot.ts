/**
 * Captures docs/images/facecheck.png, the README's picture of the app: the empty verification view
 * (drop zones, model picker, backend indicator) once the engine is ready. It shows no photo at all,
 * so nothing from ../shared can end up in the repository.
 *
 * Builds nothing: run it against a running build, e.g.
 *   npm run build && npx vite preview --port 4173 &
 *   npm run screenshot -- http://127.0.0.1:4173/
 * Uses Debian's Chromium with the Playwright suite's flags (scripts/bench/chromium.ts).
 */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { launchChromium } from './bench/chromium.ts';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/images/facecheck.png');
const DEFAULT_URL = 'http://127.0.0.1:4173/';
const VIEWPORT = { width: 1280, height: 800 } as const;

async function main(): Promise<void> {
  const url = process.argv[2] ?? DEFAULT_URL;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light', reducedMotion: 'reduce' });
    try {
      await page.goto(url);
    } catch (error) {
      throw new Error(`Nothing answers at ${url}: start a build first (npx vite preview). ${String(error)}`);
    }
    // A first visit shows the offline set-up card over the header; a returning visitor does not.
    // Let the service worker finish caching, then come back, as a returning user would.
    await page
      .locator('[data-testid="offline-status"]:is([data-state="ready"], [data-state="failed"])')
      .waitFor({
        timeout: 180_000,
      });
    await page.reload();
    await page.getByTestId('offline-status').waitFor({ state: 'detached', timeout: 30_000 });
    // The header shows the backend and renderer once the models are loaded.
    const indicator = page.getByTestId('engine-indicator');
    await indicator.and(page.locator('.phase-ready')).waitFor({ timeout: 120_000 });
    const photos = await page
      .locator('img')
      .evaluateAll((imgs) =>
        imgs
          .filter((img) => !(img as HTMLImageElement).src.includes('/icons/'))
          .map((img) => img.getAttribute('src')),
      );
    if (photos.length > 0) throw new Error(`the screenshot would show images: ${photos.join(', ')}`);
    // No hover or focus ring; animations and the caret are frozen by the screenshot options.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    const png = await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide' });
    // Flat UI colours: a 256-colour palette keeps it sharp at a fraction of the size.
    const small = await sharp(png)
      .png({ palette: true, colours: 256, compressionLevel: 9, effort: 10 })
      .toBuffer();
    await writeFile(OUT, small);
    console.log(
      JSON.stringify({
        file: 'docs/images/facecheck.png',
        ...VIEWPORT,
        bytes: small.length,
        rawBytes: png.length,
        url,
      }),
    );
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
