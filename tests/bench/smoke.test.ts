/**
 * Smoke test of the benchmark harness (scripts/bench/run.ts), so it cannot rot: 2 photos, WASM,
 * FaceCheck and both face-api peers, a 1,000-embedding gallery. It checks that the JSON has every
 * field with sane values — never how fast anything is: benchmarks do not pass or fail on speed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../../scripts/bench/chromium.ts';
import { hasPhotos, projectRoot, SHARED_MISSING } from '../../scripts/bench/photos.ts';
import type { BenchReport } from '../../scripts/bench/report.ts';

const run = promisify(execFile);
const modelsReady = existsSync(join(projectRoot, 'public/models/index.json'));
const skipReason = !hasPhotos()
  ? SHARED_MISSING
  : !hasChromium()
    ? '/usr/bin/chromium not found: the benchmark needs Debian Chromium'
    : !modelsReady
      ? 'public/models is empty: run `npm run models`'
      : null;
if (skipReason !== null) console.warn(`SKIP bench smoke test: ${skipReason}`);

describe.skipIf(skipReason !== null)('npm run bench (smoke: 2 photos, WASM, with the peers)', () => {
  let outDir = '';
  afterAll(async () => {
    if (outDir !== '') await rm(outDir, { recursive: true, force: true });
  });

  it('prints a complete JSON report and writes the Markdown table', { timeout: 180_000 }, async () => {
    outDir = await mkdtemp(join(tmpdir(), 'facecheck-bench-smoke-'));
    const { stdout } = await run(
      join(projectRoot, 'node_modules/.bin/tsx'),
      [
        'scripts/bench/run.ts',
        ...[
          '--backend',
          'wasm',
          '--photos',
          '2',
          '--categories',
          'groups,bbt',
          '--rounds',
          '1',
          '--passes',
          '1',
        ],
        ...['--skip-node', '--gallery-sizes', '1000', '--gallery-repeats', '2', '--out-dir', outDir],
      ],
      { cwd: projectRoot, maxBuffer: 64 * 2 ** 20 },
    );
    const report = JSON.parse(stdout) as BenchReport;

    expect(report.errors).toEqual([]);
    expect(report.meta.photos).toEqual(['groups/bbt1.jpg', 'bbt/amy/amy1.png']);
    expect(report.meta.machine.logicalCores).toBeGreaterThan(0);
    expect(report.backends).toHaveLength(1);
    const [wasm] = report.backends;
    if (wasm === undefined) throw new Error('no backend in the report');
    expect(wasm.backend).toBe('wasm');
    expect(wasm.environment?.wasm?.simd).toBe(true);
    expect(wasm.environment?.wasm?.threads).toBeGreaterThanOrEqual(1);
    expect(wasm.environment?.crossOriginIsolated).toBe(true);
    expect(wasm.foreignRequests).toEqual([]);
    expect(wasm.pageErrors).toEqual([]);

    for (const engine of ['facecheck', 'faceapi-ssd', 'faceapi-tiny'] as const) {
      const e = wasm.engines[engine];
      if (e === undefined) throw new Error(`${engine} missing from the report`);
      expect(e.photosPerPass, engine).toBe(2);
      expect(e.coldStartMs.emptyCache, engine).toBeGreaterThan(0);
      expect(e.firstResultMs, engine).toBeGreaterThan(0);
      expect(e.perPhotoMs.median, engine).toBeGreaterThan(0);
      expect(e.perPhotoMs.p90 ?? 0, engine).toBeGreaterThanOrEqual(e.perPhotoMs.median ?? Number.NaN);
      expect(e.photosPerSecond, engine).toBeGreaterThan(0);
      expect(e.facesPerPass, engine).toBeGreaterThan(0);
      expect(e.memory.tensorsBefore, engine).toBeGreaterThan(0);
      // The leak check's baseline has every model, including those that load after ready.
      expect(e.memory.tensorsWarm, engine).toBeGreaterThanOrEqual(e.memory.tensorsBefore);
      expect(e.memory.maxTensorGrowth, engine).toBe(0);
      expect(e.memory.heapBeforeMB, engine).toBeGreaterThan(0);
      // V8's compiled code is part of the heap, and the rest (the objects) is what the target checks.
      expect(e.memory.heapCodeBeforeMB, engine).toBeGreaterThan(0);
      expect(e.memory.heapCodeBeforeMB ?? Number.NaN, engine).toBeLessThan(e.memory.heapBeforeMB ?? 0);
      expect(e.memory.maxObjectHeapGrowth, engine).not.toBeNull();
      expect(e.memory.wasmHeapAfterMB, engine).toBeGreaterThan(0);
      // Texture counts exist on WebGL only.
      expect(e.memory.gpuTexturesAfterMB, engine).toBeNull();
      for (const ms of Object.values(e.stageMedianMs)) expect(ms, engine).toBeGreaterThanOrEqual(0);
    }
    expect(Object.keys(wasm.engines.facecheck?.stageMedianMs ?? {})).toEqual([
      'decode',
      'upload',
      'pnet',
      'rnet',
      'onet',
      'align',
      'embed',
    ]);
    expect(Object.keys(wasm.engines.facecheck?.workerInit.modelLoadMs ?? {})).toContain('mobilefacenet');
    // FaceCheck warms up after ready, as the app does (src/pipeline/warm-up.ts); face-api has no such pass.
    expect(wasm.engines.facecheck?.warmUpMs).toBeGreaterThan(0);
    expect(wasm.engines.facecheck?.readyToSettledMs).toBeGreaterThanOrEqual(
      wasm.engines.facecheck?.warmUpMs ?? 0,
    );
    expect(wasm.engines['faceapi-ssd']?.warmUpMs).toBeNull();
    for (const peer of ['faceapi-ssd', 'faceapi-tiny'] as const) {
      expect(wasm.ratios[peer]?.perPhotoMedian, peer).toBeGreaterThan(0);
    }

    expect(report.gallery.map((g) => g.backend)).toEqual(['wasm']);
    expect(report.gallery[0]?.rows.map((r) => [r.size, r.correct])).toEqual([[1000, true]]);
    expect(report.gallery[0]?.rows[0]?.appMsPerProbe.median).toBeGreaterThan(0);
    expect(report.node).toBeNull();
    expect(report.targets.length).toBeGreaterThan(0);
    for (const t of report.targets) expect(['PASS', 'FAIL', 'n/a']).toContain(t.status);

    const written = await readdir(outDir);
    expect(written).toContain('latest.md');
    expect(written.some((f) => /^bench-.*\.json$/.test(f))).toBe(true);
  });
});
