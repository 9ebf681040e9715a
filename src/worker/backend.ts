/**
 * Picks and initialises the tfjs backend inside the worker. The backends themselves are registered
 * by the side-effect imports in worker.ts; this module only chooses among them: a forced backend
 * first, else the remembered choice, else the fastest of WebGL and WASM by a short measurement
 * (backend-probe.ts), and CPU only when neither starts. The GL renderer is reported, never used to
 * guess: SwiftShader is slow, but a fast integrated GPU can also be slower than WASM for these nets.
 */
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The binaries are emitted as assets of our own build: the app never fetches code from a CDN.
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import type {
  BackendChoice,
  BackendFailure,
  BackendInfo,
  BackendName,
  BackendProbe,
  BackendSelection,
  RememberedBackend,
} from './api.ts';
import { timeProbeWorkload } from './backend-probe.ts';

/** Measured against each other when nothing is forced; the plain-JS CPU backend is far slower. */
const MEASURED_BACKENDS = ['webgl', 'wasm'] as const satisfies readonly BackendName[];

export interface GlProbe {
  readonly renderer: string | null;
  readonly isSoftwareRenderer: boolean;
}

/** Releases a probe context now rather than at GC: browsers cap live WebGL contexts per process. */
function release(gl: WebGL2RenderingContext): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}

/**
 * Well-known CPU rasterisers, matched loosely because vendors decorate the name (ANGLE wraps
 * SwiftShader as "ANGLE (Google, Vulkan … (SwiftShader Device …))"). Needed besides the
 * performance-caveat check: Chromium started with --use-angle=swiftshader does not flag it.
 */
const SOFTWARE_RASTERISER = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/**
 * Reads the GL renderer string from throwaway WebGL2 contexts (workers have no document, hence
 * OffscreenCanvas). Software GL is recognised two ways: the browser refuses a context with
 * `failIfMajorPerformanceCaveat` when it knows it would emulate the GPU, and otherwise the
 * renderer names a known CPU rasteriser. Recent Chromium returns the unmasked name from RENDERER
 * and may drop WEBGL_debug_renderer_info, so both are tried.
 */
export function probeGl(): GlProbe {
  if (typeof OffscreenCanvas === 'undefined') return { renderer: null, isSoftwareRenderer: false };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (gl === null) return { renderer: null, isSoftwareRenderer: false };
  let renderer: string | null = null;
  try {
    const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
    const value: unknown = gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
    renderer = typeof value === 'string' && value !== '' ? value : null;
  } finally {
    release(gl);
  }
  const hardware = new OffscreenCanvas(1, 1).getContext('webgl2', { failIfMajorPerformanceCaveat: true });
  if (hardware !== null) release(hardware);
  const namedSoftware = renderer !== null && SOFTWARE_RASTERISER.test(renderer);
  return { renderer, isSoftwareRenderer: hardware === null || namedSoftware };
}

/*
 * tfjs-webgl: shaders keep their shapes baked in (WEBGL_USE_SHAPES_UNIFORMS gives wrong embeddings in
 * tfjs 4.22, docs/backends.md); the texture pool and the program cache are bounded between photos
 * (webgl-caches.ts). tfjs's own WEBGL_DELETE_TEXTURE_THRESHOLD is not used: past it, every freed
 * texture is deleted instead of reused, while stale sizes stay pooled (webgl-textures.ts).
 */

function configureWasm(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
}

/**
 * tfjs caps XNNPACK at half the logical cores (it assumes SMT), so a 2-core machine runs one thread
 * even with the threaded binary; reporting the real count keeps timings explainable.
 */
async function wasmFeatures(): Promise<BackendInfo['wasm']> {
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { simd, threads: getThreadsCount() };
}

async function activate(backend: BackendName): Promise<void> {
  // setBackend resolves false (after logging a warning) when the backend's factory throws.
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed; see the console`);
  await tf.ready();
}

/**
 * Starts exactly `backend`, without measuring or probing GL: for the second engine
 * (offload-worker.ts), which must run on the backend the main engine chose.
 */
export async function startBackend(backend: BackendName): Promise<void> {
  configureWasm();
  await activate(backend);
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Warm-up budget after a backend has started, once another backend already has a time to fall back
 * on: a real GPU compiles the probe's shaders well within it; emulated GL (0.2–0.9 s per shader here)
 * cannot, and would pay that again for every new photo size.
 */
const WARM_UP_BUDGET_MS = 200;

/**
 * Times the probe workload on each candidate. WASM goes first: its start is needed by any
 * fallback anyway, and it is never cut short, so there is always a time to compare against. A
 * backend that fails to start scores null; one past its budget gives up.
 */
async function measureBackends(
  candidates: readonly BackendName[],
  failures: BackendFailure[],
): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const backend of [...candidates].sort((a, b) => Number(b === 'wasm') - Number(a === 'wasm'))) {
    const started = performance.now();
    try {
      await activate(backend);
      const startMs = performance.now() - started;
      const deadline = probes.some((p) => p.ms !== null)
        ? performance.now() + WARM_UP_BUDGET_MS
        : Number.POSITIVE_INFINITY;
      const timing = await timeProbeWorkload(deadline);
      probes.push({
        backend,
        ...timing,
        gaveUp: timing.ms === null,
        startMs,
        costMs: performance.now() - started,
      });
    } catch (error) {
      failures.push({ backend, reason: reasonOf(error) });
      const costMs = performance.now() - started;
      probes.push({ backend, ms: null, warmUpMs: null, gaveUp: false, startMs: costMs, costMs });
    }
  }
  return probes;
}

function fastest(probes: readonly BackendProbe[]): BackendName | null {
  let best: BackendProbe | null = null;
  for (const probe of probes)
    if (probe.ms !== null && (best === null || best.ms === null || probe.ms < best.ms)) best = probe;
  return best?.backend ?? null;
}

/**
 * Activates a backend: `requested` if it starts; else `remembered` if it was measured with this GL
 * renderer and starts; else the fastest measured one; else CPU. Losing measured backends are
 * removed, so an unused WebGL context does not hold memory for the worker's lifetime.
 */
export async function initBackend(
  requested: BackendName | undefined,
  remembered?: RememberedBackend,
): Promise<BackendChoice> {
  configureWasm();
  // Measured, not refused: tfjs would otherwise reject software GL before we could time it.
  tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  const gl = probeGl();
  const failures: BackendFailure[] = [];
  const chosen = async (
    backend: BackendName,
    selection: BackendSelection,
    probes: readonly BackendProbe[],
  ): Promise<BackendChoice> => ({
    backend,
    selection,
    probes,
    requested: requested ?? null,
    failures,
    ...gl,
    wasm: backend === 'wasm' ? await wasmFeatures() : null,
  });
  const tryActivate = async (backend: BackendName): Promise<boolean> => {
    try {
      await activate(backend);
      return true;
    } catch (error) {
      failures.push({ backend, reason: reasonOf(error) });
      return false;
    }
  };

  if (requested !== undefined && (await tryActivate(requested))) return chosen(requested, 'forced', []);
  if (
    remembered !== undefined &&
    remembered.backend !== requested &&
    remembered.renderer === gl.renderer &&
    (await tryActivate(remembered.backend))
  )
    return chosen(remembered.backend, 'remembered', remembered.probes);

  const failed = new Set(failures.map((f) => f.backend));
  const probes = await measureBackends(
    MEASURED_BACKENDS.filter((b) => !failed.has(b)),
    failures,
  );
  const best = fastest(probes);
  if (best !== null && (await tryActivate(best))) {
    for (const probe of probes)
      if (probe.backend !== best && probe.warmUpMs !== null) tf.removeBackend(probe.backend);
    return chosen(best, 'measured', probes);
  }
  if (requested !== 'cpu' && (await tryActivate('cpu'))) return chosen('cpu', 'fallback', probes);
  throw new Error(
    `No tfjs backend could start: ${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`,
  );
}
