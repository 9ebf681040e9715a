import { defineConfig } from 'vitest/config';

// Unit and model-parity tests run in Node on the tfjs CPU/WASM backends. The browser is covered by
// the Playwright suite in e2e/ (see playwright.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
