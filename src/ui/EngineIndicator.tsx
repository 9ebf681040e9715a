/**
 * The engine in a few words for the header — "WASM · SwiftShader not used", "WebGL · Apple M2" —
 * linking to the full status panel. Names the GL renderer even when WebGL was skipped, because on
 * a machine without a GPU that is the reason the app runs on WASM.
 */
import { useEngineState } from '../state/engine-store.ts';
import type { BackendInfo } from '../worker/api.ts';

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

export function describeBackend(info: BackendInfo): string {
  const backend = SHORT_BACKEND[info.backend];
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
