/**
 * Watches a page from outside the app, installed before any page script: object URLs created and
 * not yet revoked (to prove none leak), and the inference worker's live memory counts through the
 * `?e2e` hook (tensors, decoded images).
 */
import { expect, type Page } from '@playwright/test';
import { MODEL_IDS } from '../../src/models/specs.ts';
import type { SecondEngineState, WorkerMemory } from '../../src/worker/api.ts';

export async function watchObjectUrls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const urls = new Set<string>();
    const create = URL.createObjectURL.bind(URL);
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.createObjectURL = (object) => {
      const url = create(object);
      urls.add(url);
      return url;
    };
    URL.revokeObjectURL = (url) => {
      urls.delete(url);
      revoke(url);
    };
    (window as unknown as { __objectUrls: () => number }).__objectUrls = () => urls.size;
  });
}

/** Object URLs created by the page and not revoked yet (needs watchObjectUrls before goto). */
export const liveObjectUrls = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __objectUrls: () => number }).__objectUrls());

/**
 * The worker's tensors and decoded-image counts (needs `?e2e` in the URL), once every model is
 * loaded: some load in the background after the engine is ready (MODEL_SPECS.loading), and so do
 * the second engine's nets (docs/offload.md); their weights would otherwise land between a baseline
 * and the count compared with it.
 */
export async function workerMemory(page: Page): Promise<WorkerMemory> {
  await expect(page.locator('tr[data-state="loaded"]')).toHaveCount(MODEL_IDS.length, { timeout: 120_000 });
  await secondEngineSettled(page);
  return readWorkerMemory(page);
}

const readWorkerMemory = (page: Page): Promise<WorkerMemory> =>
  page.evaluate(() => {
    const hook = window.__facecheck;
    if (hook === undefined) throw new Error('window.__facecheck missing: was ?e2e passed?');
    return hook.client.api.memory();
  });

/**
 * Waits until the second engine (docs/offload.md; WASM and CPU only) has loaded its own copy of the
 * nets after the engine was ready, or there is none. Returns what it reports.
 */
export async function secondEngineSettled(page: Page): Promise<WorkerMemory['secondEngine']> {
  await expect
    .poll(
      async () => {
        const { secondEngine } = await readWorkerMemory(page);
        return secondEngine === null || secondEngine.phase !== 'starting';
      },
      { message: 'the second engine to load its nets', timeout: 60_000 },
    )
    .toBe(true);
  return (await readWorkerMemory(page)).secondEngine;
}

/** The second engine once it runs; fails the test if there is none or it stopped. */
export async function runningSecondEngine(
  page: Page,
): Promise<Extract<SecondEngineState, { phase: 'running' }>> {
  const state = await secondEngineSettled(page);
  if (state?.phase !== 'running')
    throw new Error(`the second engine is not running: ${JSON.stringify(state)}`);
  return state;
}

/** Its live tensors, or null when it is not running (for before/after comparisons). */
export const secondEngineTensors = (memory: WorkerMemory): number | null =>
  memory.secondEngine?.phase === 'running' ? memory.secondEngine.tensors : null;
