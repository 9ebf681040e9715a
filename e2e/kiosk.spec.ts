/**
 * Issue 6, kiosk mode, end to end in Debian's Chromium on the WASM backend, with a fake camera:
 * Chromium's `--use-file-for-fake-video-capture` plays a .y4m file that this spec writes from real
 * photos (../shared/data/faces) with sharp. Chromium opens the file each time the camera starts, so
 * replacing it (atomically) before the kiosk reopens the camera changes who stands in front of it.
 *
 * Enrol one photo of a person, verify another photo of them (match) and a different person
 * (no match); guidance for too dark / several faces / too small / off to the side from the real
 * detector; the camera released when the page is hidden and on reset; the idle reset wiping the
 * store; nothing written to any storage; and the optional liveness check.
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { liveObjectUrls, watchObjectUrls } from './support/page-watch.ts';

const FACES = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/faces');
const MISSING = `${FACES} not found: the kiosk e2e builds its fake camera from ../shared/data/faces`;
const WIDTH = 640;
const HEIGHT = 480;
/** Seconds; the smallest the kiosk accepts, so the idle reset can be waited for. */
const IDLE_SECONDS = 10;

/** A photo placed in the camera frame: `size` px tall, centred at (cx, cy). */
interface Placed {
  readonly path: string;
  readonly size: number;
  readonly cx?: number;
  readonly cy?: number;
  /** Part of the photo to use (left, top, width, height); default all of it. */
  readonly region?: readonly [number, number, number, number];
}

interface Scene {
  readonly photos: readonly Placed[];
  /** Multiplies every pixel (1 = as is). */
  readonly brightness?: number;
}

const TOM = 'aligned/Tom_Hanks/000.png';
const SCENES = {
  tom: { photos: [{ path: TOM, size: 300 }] },
  tomAgain: { photos: [{ path: 'aligned/Tom_Hanks/001.png', size: 300 }] },
  someoneElse: { photos: [{ path: 'aligned/Barack_Obama/000.png', size: 300 }] },
  dark: { photos: [{ path: TOM, size: 300 }], brightness: 0.22 },
  twoPeople: {
    photos: [
      { path: TOM, size: 250, cx: 180 },
      { path: 'aligned/Will_Smith/000.png', size: 250, cx: 460 },
    ],
  },
  small: { photos: [{ path: TOM, size: 90 }] },
  offToTheSide: { photos: [{ path: TOM, size: 260, cx: 150 }] },
  /** A large, sharp colour portrait: what a live camera gives, as far as the liveness model goes. */
  portrait: { photos: [{ path: 'people/shea_whigham/1.jpg', size: HEIGHT, region: [246, 37, 1600, 1200] }] },
  /**
   * A grey, low-resolution film still: what the liveness model takes for a print or a screen. The
   * model's score jumps between ~0 and ~1 when the face box moves by a pixel or two, so the still is
   * one whose refusal holds under that (in Node, through the same YUV frame: 0.99 at 260, 300 and
   * 340 px and ±2 px shifts). sheldon1, used before, passed or failed with 1–2 px of box movement.
   */
  greyStill: { photos: [{ path: 'bbt/leonard/leonard1.png', size: 300 }] },
} satisfies Record<string, Scene>;

/** RGB (3 bytes per pixel) → one I420 .y4m frame, BT.601 full range as Chromium reads C420jpeg. */
function y4m(rgb: Buffer): Buffer {
  const y = Buffer.alloc(WIDTH * HEIGHT);
  const u = Buffer.alloc((WIDTH * HEIGHT) / 4);
  const v = Buffer.alloc((WIDTH * HEIGHT) / 4);
  const at = (x: number, row: number, c: number) => rgb[(row * WIDTH + x) * 3 + c] ?? 0;
  for (let row = 0; row < HEIGHT; row++)
    for (let x = 0; x < WIDTH; x++)
      y[row * WIDTH + x] = Math.round(0.299 * at(x, row, 0) + 0.587 * at(x, row, 1) + 0.114 * at(x, row, 2));
  for (let row = 0; row < HEIGHT / 2; row++)
    for (let x = 0; x < WIDTH / 2; x++) {
      const mean = (c: number) =>
        (at(2 * x, 2 * row, c) +
          at(2 * x + 1, 2 * row, c) +
          at(2 * x, 2 * row + 1, c) +
          at(2 * x + 1, 2 * row + 1, c)) /
        4;
      const [r, g, b] = [mean(0), mean(1), mean(2)];
      u[row * (WIDTH / 2) + x] = Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[row * (WIDTH / 2) + x] = Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  const header = `YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\nFRAME\n`;
  return Buffer.concat([Buffer.from(header), y, u, v]);
}

async function sceneFrame(scene: Scene): Promise<Buffer> {
  const layers = await Promise.all(
    scene.photos.map(async ({ path, size, cx = WIDTH / 2, cy = HEIGHT / 2, region }) => {
      let image = sharp(resolve(FACES, path)).removeAlpha().toColourspace('srgb');
      if (region !== undefined) {
        const [left, top, width, height] = region;
        image = image.extract({ left, top, width, height });
      }
      const meta = region === undefined ? await sharp(resolve(FACES, path)).metadata() : null;
      const aspect = region === undefined ? (meta?.width ?? 1) / (meta?.height ?? 1) : region[2] / region[3];
      const width = Math.round(size * aspect);
      const input = await image.resize(width, size).png().toBuffer();
      return { input, left: Math.round(cx - width / 2), top: Math.round(cy - size / 2) };
    }),
  );
  const background = { r: 92, g: 104, b: 120 };
  const composed = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background } })
    .composite(layers)
    .png()
    .toBuffer();
  return sharp(composed)
    .removeAlpha()
    .linear(scene.brightness ?? 1, 0)
    .raw()
    .toBuffer();
}

/** Replaces the camera file in one step: a camera that is running keeps reading the old one. */
async function showOnCamera(file: string, scene: Scene): Promise<void> {
  writeFileSync(`${file}.next`, y4m(await sceneFrame(scene)));
  renameSync(`${file}.next`, file);
}

const test = base.extend<object, { cameraFile: string }>({
  cameraFile: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'facecheck-camera-'));
      const file = join(dir, 'camera.y4m');
      if (existsSync(FACES)) await showOnCamera(file, SCENES.tom);
      else writeFileSync(file, y4m(Buffer.alloc(WIDTH * HEIGHT * 3, 100)));
      await use(file);
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  launchOptions: [
    async ({ launchOptions, cameraFile }, use) => {
      await use({
        ...launchOptions,
        args: [
          ...(launchOptions.args ?? []),
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-video-capture=${cameraFile}`,
        ],
      });
    },
    { scope: 'worker' },
  ],
});

/**
 * Before any page script: records every camera stream and every object URL, so the test can check
 * the app's claims (tracks stopped, no URL left) from outside the app; and CSP violations.
 */
async function watchCameraAndUrls(page: Page): Promise<void> {
  await watchObjectUrls(page);
  await page.addInitScript(() => {
    const streams: MediaStream[] = [];
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      streams.push(stream);
      return stream;
    };
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.effectiveDirective} blocked ${e.blockedURI}`),
    );
    (window as unknown as { __watch: unknown }).__watch = {
      cspViolations: () => violations,
      opened: () => streams.length,
      liveTracks: () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
    };
  });
}

interface Watch {
  cspViolations(): string[];
  opened(): number;
  liveTracks(): number;
}
const watched = (page: Page, key: keyof Watch) =>
  page.evaluate((k) => (window as unknown as { __watch: Watch }).__watch[k](), key);

/** What the kiosk store holds, through the `?e2e` hook. */
const kioskState = (page: Page) =>
  page.evaluate(() => {
    const hook = window.__facecheckKiosk;
    if (hook === undefined) throw new Error('window.__facecheckKiosk missing: was ?kiosk&e2e passed?');
    const { step, resets } = hook.store.getState();
    return { step: step.kind, hasReference: 'reference' in step, hasResult: 'result' in step, resets };
  });

/** Emulates the tab being hidden or shown (the kiosk listens to visibilitychange). */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** A key press counts as interaction: keeps the idle reset away while the test waits. */
const nudge = (page: Page) => page.keyboard.press('Shift');

const guidance = (page: Page) => page.getByTestId('kiosk-guidance');
const screen = (page: Page) => page.getByTestId('kiosk-screen');
const captureButton = (page: Page) => page.getByTestId('kiosk-capture');

async function expectGuidance(page: Page, kind: string): Promise<void> {
  await nudge(page);
  await expect(guidance(page)).toHaveAttribute('data-kind', kind, { timeout: 20_000 });
}

/** Puts a scene in front of the camera and makes the kiosk reopen it (hide, then show the page). */
async function reopenCameraOn(page: Page, file: string, scene: Scene): Promise<void> {
  await showOnCamera(file, scene);
  await setVisibility(page, 'hidden');
  await expect.poll(() => watched(page, 'liveTracks'), { message: 'camera released when hidden' }).toBe(0);
  await setVisibility(page, 'visible');
}

async function capture(page: Page): Promise<void> {
  await expectGuidance(page, 'ok');
  await captureButton(page).click();
}

async function openKiosk(page: Page, query: string): Promise<void> {
  await watchCameraAndUrls(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?kiosk&backend=wasm&e2e&${query}`);
  await expect(page.getByTestId('kiosk-start')).toBeEnabled({ timeout: 120_000 });
}

test('kiosk: enrol, verify, guidance, idle reset; camera released; nothing stored', async ({
  page,
  cameraFile,
}) => {
  test.skip(!existsSync(FACES), MISSING);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await showOnCamera(cameraFile, SCENES.tom);
  await openKiosk(page, `idle=${IDLE_SECONDS}`);
  await expect(screen(page)).toHaveAttribute('data-step', 'start');
  expect(await watched(page, 'opened'), 'no camera before Start').toBe(0);
  await page.screenshot({ path: '/tmp/kiosk-start.png' });

  await page.getByTestId('kiosk-start').click();
  await expect(screen(page)).toHaveAttribute('data-step', 'enroll');
  await expectGuidance(page, 'ok');
  await page.screenshot({ path: '/tmp/kiosk-enroll.png' });
  // A portrait tablet stacks the camera over the guidance.
  await page.setViewportSize({ width: 800, height: 1280 });
  await expectGuidance(page, 'ok');
  await page.screenshot({ path: '/tmp/kiosk-enroll-portrait.png' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Guidance from the real detector and the frame's luminance.
  for (const [scene, kind, shot] of [
    [SCENES.dark, 'too-dark', null],
    [SCENES.twoPeople, 'several-faces', '/tmp/kiosk-guidance-several-faces.png'],
    [SCENES.small, 'too-small', null],
    [SCENES.offToTheSide, 'off-centre', '/tmp/kiosk-guidance-off-centre.png'],
    [SCENES.tom, 'ok', null],
  ] as const) {
    await reopenCameraOn(page, cameraFile, scene);
    await expectGuidance(page, kind);
    if (shot !== null) await page.screenshot({ path: shot });
  }
  await expect(guidance(page)).toContainText('Perfect');

  // Enrol; the verification step reopens the camera, by then showing another photo of Tom Hanks.
  await capture(page);
  await showOnCamera(cameraFile, SCENES.tomAgain);
  await expect(screen(page)).toHaveAttribute('data-step', 'verify', { timeout: 30_000 });
  expect(await kioskState(page)).toMatchObject({ step: 'verify', hasReference: true });
  await expectGuidance(page, 'ok');
  await page.screenshot({ path: '/tmp/kiosk-verify.png' });
  await capture(page);
  const verdict = page.getByTestId('kiosk-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'match', { timeout: 30_000 });
  const sameDistance = Number(await verdict.getAttribute('data-distance'));
  await expect(verdict).toContainText('Same person');
  await expect(verdict).toContainText(sameDistance.toFixed(2));
  expect(await watched(page, 'liveTracks'), 'camera off on the result screen').toBe(0);
  await page.screenshot({ path: '/tmp/kiosk-result-match.png' });

  // Someone else against the same reference.
  await showOnCamera(cameraFile, SCENES.someoneElse);
  await page.getByRole('button', { name: 'Verify again' }).click();
  await capture(page);
  await expect(verdict).toHaveAttribute('data-verdict', 'no-match', { timeout: 30_000 });
  const otherDistance = Number(await verdict.getAttribute('data-distance'));
  console.log(`kiosk distances: same person ${sameDistance}, someone else ${otherDistance}`);
  expect(otherDistance).toBeGreaterThan(sameDistance);
  await page.screenshot({ path: '/tmp/kiosk-result-no-match.png' });

  // Nothing written anywhere: no Web Storage, no IndexedDB, no cookie; Cache Storage (filled by
  // the service worker) holds app files and models only.
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
    cookie: document.cookie,
    cached: (
      await Promise.all(
        (
          await caches.keys()
        ).map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)),
      )
    ).flat(),
  }));
  expect(stored).toMatchObject({ local: 0, session: 0, indexedDb: [], cookie: '' });
  expect(
    stored.cached.filter((p) => !/^\/($|assets\/|models\/|icons\/|manifest\.webmanifest$)/.test(p)),
  ).toEqual([]);

  // Idle reset from a live camera: warning, then everything wiped and the camera released.
  await showOnCamera(cameraFile, SCENES.tom);
  await page.getByRole('button', { name: 'Verify again' }).click();
  await expect.poll(() => watched(page, 'liveTracks')).toBe(1);
  const idle = page.getByTestId('kiosk-idle');
  await expect(idle).toBeVisible({ timeout: (IDLE_SECONDS + 5) * 1000 });
  await page.screenshot({ path: '/tmp/kiosk-idle-warning.png' });
  await expect(screen(page)).toHaveAttribute('data-step', 'start', { timeout: 15_000 });
  expect(await kioskState(page)).toEqual({ step: 'start', hasReference: false, hasResult: false, resets: 1 });
  expect(await watched(page, 'liveTracks'), 'camera tracks stopped by the reset').toBe(0);
  expect(await liveObjectUrls(page), 'no object URL left').toBe(0);
  await expect(page.locator('canvas.kiosk-face, video')).toHaveCount(0);
  expect(await watched(page, 'cspViolations')).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('kiosk liveness check: a sharp colour portrait passes, a grey film still is refused', async ({
  page,
  cameraFile,
}) => {
  test.skip(!existsSync(FACES), MISSING);
  await showOnCamera(cameraFile, SCENES.portrait);
  await openKiosk(page, 'liveness');
  await expect(page.locator('.kiosk-footer')).toContainText('not proof');
  await page.getByTestId('kiosk-start').click();
  await capture(page);
  await expect(screen(page)).toHaveAttribute('data-step', 'verify', { timeout: 30_000 });

  // The model's authors' threshold calls the grey still an attack (as it calls many small or grey
  // faces of real people: see docs/kiosk.md).
  await reopenCameraOn(page, cameraFile, SCENES.greyStill);
  await capture(page);
  await expect(guidance(page)).toHaveAttribute('data-kind', 'refused', { timeout: 30_000 });
  await expect(guidance(page)).toContainText('looks like a photo or a screen');
  await page.screenshot({ path: '/tmp/kiosk-liveness-refused.png' });
});
