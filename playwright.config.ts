import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/bench/chromium.ts';

/** Fixed so the test and the server agree; away from Vite's defaults to avoid a colleague's server. */
const PORT = Number(process.env.E2E_PORT ?? 4791);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
/** The build to serve (`vite build --outDir` the same folder); lets several runs share a checkout. */
const OUT_DIR = process.env.E2E_OUT_DIR ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  // One browser at a time: the machine has 2 cores and emulated WebGL takes them both.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 120_000 },
  reporter: [['list']],
  outputDir: process.env.E2E_RESULTS_DIR ?? 'test-results',
  use: {
    baseURL: BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    // Serves the production build (test:e2e runs `vite build` first) with the COOP/COEP headers.
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${OUT_DIR}`,
    url: BASE_URL,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
