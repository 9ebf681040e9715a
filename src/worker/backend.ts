/**
 * Picks and initialises the tfjs backend inside the worker. The backends themselves are registered
 * by the side-effect imports in worker.ts; this module only chooses among them.
 */
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The binaries are emitted as assets of our own build: the app never fetches code from a CDN.
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PREFERENCE, type BackendFailure, type BackendInfo, type BackendName } from './api.ts';

/** The requested backend first, then the usual preference order as fallbacks. */
export function backendOrder(requested: BackendName | undefined): BackendName[] {
  const rest = BACKEND_PREFERENCE.filter((name) => name !== requested);
  return requested === undefined ? rest : [requested, ...rest];
}

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

/**
 * Why an unforced WebGL attempt should be skipped, or null to try it. tfjs itself refuses software
 * GL unless SOFTWARE_WEBGL_ENABLED is set; on CPU emulation WASM is several times faster, so only
 * an explicit `?backend=webgl` gets the emulated GPU.
 */
function webglSkipReason(probe: GlProbe, forced: boolean): string | null {
  if (forced || !probe.isSoftwareRenderer) return null;
  return 'software GL is slower than WASM here; force it with ?backend=webgl';
}

async function activate(backend: BackendName): Promise<void> {
  // setBackend resolves false (after logging a warning) when the backend's factory throws.
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed; see the console`);
  await tf.ready();
}

/** Activates the first backend of `backendOrder(requested)` that initialises. */
export async function initBackend(requested: BackendName | undefined): Promise<BackendInfo> {
  configureWasm();
  const failures: BackendFailure[] = [];
  // Kept when WebGL is skipped, so the status still shows which GL the browser would have used.
  let gl: GlProbe = { renderer: null, isSoftwareRenderer: false };
  for (const backend of backendOrder(requested)) {
    try {
      if (backend === 'webgl') {
        gl = probeGl();
        const skip = webglSkipReason(gl, requested === 'webgl');
        if (skip !== null) throw new Error(skip);
        tf.env().set('SOFTWARE_WEBGL_ENABLED', requested === 'webgl');
      }
      await activate(backend);
      return {
        backend,
        requested: requested ?? null,
        failures,
        ...gl,
        wasm: backend === 'wasm' ? await wasmFeatures() : null,
      };
    } catch (error) {
      failures.push({ backend, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new Error(
    `No tfjs backend could start: ${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`,
  );
}
