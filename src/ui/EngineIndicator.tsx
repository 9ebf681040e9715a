/**
 * The engine in a few words for the header — "WASM · measured 3.1× faster than WebGL (SwiftShader)",
 * "WebGL · Apple M2" — linking to the full status panel. Names the GL renderer even when WebGL was
 * not chosen, because on a machine without a GPU that is the reason the app runs on WASM.
 */
import { useEngineState } from '../state/engine-store.ts';
import type { BackendInfo, BackendName } from '../worker/api.ts';

const SHORT_BACKEND: Readonly<Record<BackendInfo['backend'], string>> = {
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)…))" → "SwiftShader". */
export function shortRenderer(renderer: string): string {
  const known =
    /swiftshader|llvmpipe|softpipe|apple m\d\w*|intel[^,)]*|nvidia[^,)]*|amd[^,)]*|radeon[^,)]*|mali[^,)]*|adreno[^,)]*/i.exec(
      renderer,
    );
  if (known !== null) return known[0].trim().replace(/^swiftshader$/i, 'SwiftShader');
  return renderer.length > 28 ? `${renderer.slice(0, 27)}…` : renderer;
}

/** Short name, with the GL renderer for WebGL: "WebGL (SwiftShader)". */
function backendWithRenderer(backend: BackendName, renderer: string | null): string {
  const name = SHORT_BACKEND[backend];
  return backend === 'webgl' && renderer !== null ? `${name} (${shortRenderer(renderer)})` : name;
}

const times = (ratio: number) => (ratio < 10 ? ratio.toFixed(1) : String(Math.round(ratio)));

/**
 * "measured 3.1× faster than WebGL (SwiftShader)" when the choice came from a measurement in which
 * another backend also ran; when that one gave up warming up, the ratio of warm-up times is a lower
 * bound ("> 20× faster to start"). Null otherwise (forced, or nothing to compare with).
 */
export function measuredAdvantage(info: BackendInfo): string | null {
  if (info.selection !== 'measured' && info.selection !== 'remembered') return null;
  const chosen = info.probes.find((p) => p.backend === info.backend);
  const others = info.probes.filter((p) => p.backend !== info.backend && p.warmUpMs !== null);
  if (chosen === undefined || chosen.ms === null || chosen.warmUpMs === null || others.length === 0)
    return null;
  const timed = others.filter((p) => p.ms !== null).sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0))[0];
  if (timed !== undefined && timed.ms !== null && chosen.ms > 0) {
    const other = backendWithRenderer(timed.backend, info.renderer);
    const ratio = timed.ms / chosen.ms;
    return ratio < 1.1
      ? `measured about as fast as ${other}`
      : `measured ${times(ratio)}× faster than ${other}`;
  }
  const slowest = others[0];
  if (slowest === undefined || slowest.warmUpMs === null || chosen.warmUpMs <= 0) return null;
  const other = backendWithRenderer(slowest.backend, info.renderer);
  return `measured > ${times(slowest.warmUpMs / chosen.warmUpMs)}× faster to start than ${other}`;
}

export function describeBackend(info: BackendInfo): string {
  const backend = SHORT_BACKEND[info.backend];
  const advantage = measuredAdvantage(info);
  if (advantage !== null) return `${backend} · ${advantage}`;
  if (info.renderer === null) return backend;
  const gl = shortRenderer(info.renderer);
  return info.backend === 'webgl' ? `${backend} · ${gl}` : `${backend} · ${gl} not used`;
}

export function EngineIndicator() {
  const phase = useEngineState((s) => s.phase);
  const backend = useEngineState((s) => s.backend);
  const text =
    phase === 'error'
      ? 'Engine failed'
      : phase === 'ready' && backend !== null
        ? describeBackend(backend)
        : 'Loading models…';
  return (
    <a
      href="#engine-status"
      className={`engine-indicator phase-${phase}`}
      title={backend?.renderer ?? undefined}
      data-testid="engine-indicator"
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </a>
  );
}
