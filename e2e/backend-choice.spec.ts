/**
 * Issue 8, backend choice by measurement: a first start with nothing forced measures WebGL against
 * WASM and picks the faster (on this machine WebGL is SwiftShader, CPU-emulated), the header says
 * so, a reload reuses the remembered choice without measuring, and the status panel's select
 * overrides it.
 */
import { expect, type Page, test } from '@playwright/test';
import type { EngineStatus } from '../src/worker/api.ts';

// The probe's overhead is printed, never asserted: speed is measured by `npm run bench`, not by
// timed assertions (target 1.5 s, measured 1.4–2.0 s here; see docs/backends.md).

async function readyStatus(page: Page): Promise<EngineStatus> {
  const phase = page.getByTestId('engine-phase');
  await expect(phase).toHaveAttribute('data-phase', /^(ready|error)$/, { timeout: 180_000 });
  if ((await phase.getAttribute('data-phase')) === 'error')
    throw new Error(`engine failed to start: ${await page.getByTestId('engine-error').textContent()}`);
  return page.evaluate(() => {
    const hook = window.__facecheck;
    if (hook === undefined) throw new Error('window.__facecheck missing: was ?e2e passed?');
    return hook.client.status();
  });
}

test('the backend is chosen by measurement, remembered, and can be overridden', async ({ page }) => {
  await page.goto('/?e2e');
  const measured = await readyStatus(page);
  const summary = measured.probes
    .map(
      (p) =>
        `${p.backend} warm ${p.ms?.toFixed(1) ?? '—'} ms, warm-up ${p.warmUpMs?.toFixed(0)} ms` +
        `${p.gaveUp ? ' (gave up)' : ''}, start ${Math.round(p.startMs)} ms, cost ${Math.round(p.costMs)} ms`,
    )
    .join(', ');
  console.log(`measured: ${summary} → ${measured.backend}; renderer ${JSON.stringify(measured.renderer)}`);
  expect(measured.selection).toBe('measured');
  expect(measured.probes.map((p) => p.backend).sort()).toEqual(['wasm', 'webgl']);
  const timed = measured.probes.filter((p) => p.ms !== null);
  expect(timed.length).toBeGreaterThan(0);
  const fastest = timed.reduce((a, b) => ((b.ms ?? Infinity) < (a.ms ?? Infinity) ? b : a));
  expect(measured.backend).toBe(fastest.backend);
  const overhead = measured.probes.reduce((sum, p) => sum + p.costMs, 0) - (fastest.startMs ?? 0);
  console.log(`measurement overhead beyond the chosen backend's start: ${Math.round(overhead)} ms`);
  const indicator = page.getByTestId('engine-indicator');
  await expect(indicator).toContainText('measured');
  await expect(page.getByTestId('backend-selection')).toHaveAttribute('data-selection', 'measured');

  await page.reload();
  const remembered = await readyStatus(page);
  expect(remembered.selection).toBe('remembered');
  expect(remembered.backend).toBe(measured.backend);
  expect(remembered.probes).toEqual(measured.probes);

  // Override from the UI: the page saves the setting and reloads onto the other backend.
  const other = measured.backend === 'wasm' ? 'webgl' : 'wasm';
  await page.getByRole('button', { name: 'Show details' }).click();
  await page.getByTestId('backend-setting').selectOption(other);
  await page.waitForURL(/\?e2e/);
  const overridden = await readyStatus(page);
  expect(overridden.backend).toBe(other);
  expect(overridden.selection).toBe('forced');
  await expect(page.getByTestId('backend-setting')).toHaveValue(other);

  // Back to automatic: the measurement is forgotten and runs again.
  await page.getByRole('button', { name: 'Show details' }).click();
  await page.getByTestId('backend-setting').selectOption('auto');
  await page.waitForURL(/\?e2e/);
  expect((await readyStatus(page)).selection).toBe('measured');
});
