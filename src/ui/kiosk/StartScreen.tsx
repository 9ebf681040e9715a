/** The kiosk's welcome: what happens, what happens to the photos, and one big Start button. */
import { useStore } from 'zustand';
import { MODEL_SPECS } from '../../models/specs.ts';
import { OfflineNote } from '../../pwa/OfflineNote.tsx';
import type { PwaStore } from '../../pwa/pwa-store.ts';
import type { EngineState, EngineStore } from '../../state/engine-store.ts';

/**
 * Share of the bytes the engine waits for (the 'start' models; the rest load after ready) that is
 * loaded, 0–100, or null before index.json has been read.
 */
function loadedPercent(state: EngineState): number | null {
  const needed = state.models.filter((m) => MODEL_SPECS[m.id].loading === 'start');
  if (state.totalBytes === null || needed.some((m) => m.bytes === null)) return null;
  const total = needed.reduce((n, m) => n + (m.bytes ?? 0), 0);
  const loaded = needed.reduce((n, m) => n + (m.state === 'loaded' ? (m.bytes ?? 0) : 0), 0);
  return total === 0 ? null : Math.floor((100 * loaded) / total);
}

interface StartScreenProps {
  readonly engine: EngineStore;
  readonly pwa: PwaStore;
  readonly idleSeconds: number;
  readonly liveness: boolean;
  readonly onStart: () => void;
}

export function StartScreen({ engine, pwa, idleSeconds, liveness, onStart }: StartScreenProps) {
  const phase = useStore(engine, (s) => s.phase);
  const percent = useStore(engine, loadedPercent);
  const error = useStore(engine, (s) => s.error);
  const ready = phase === 'ready';

  return (
    <section className="kiosk-start" aria-labelledby="kiosk-start-title">
      <h1 id="kiosk-start-title" className="kiosk-hero">
        Is it really you?
      </h1>
      <ol className="kiosk-steps-intro">
        <li>
          <span className="kiosk-step-number">1</span> Take a reference photo of your face.
        </li>
        <li>
          <span className="kiosk-step-number">2</span> Take a second photo: FaceCheck tells you whether both
          show the same person.
        </li>
      </ol>
      <p className="kiosk-privacy">
        Everything happens on this device. Nothing is uploaded or saved, and all photos are erased after{' '}
        {idleSeconds} seconds without a touch.
        {liveness ? ' A liveness check looks for photos or screens held up to the camera.' : ''}
      </p>
      {phase === 'error' ? (
        <p className="kiosk-banner kiosk-banner-warn" role="alert">
          The face models could not be loaded, so this kiosk cannot check faces right now. Please ask staff
          for help. <span className="kiosk-detail">{error?.message}</span>
        </p>
      ) : (
        <button
          type="button"
          className="kiosk-button kiosk-button-primary kiosk-button-huge"
          onClick={onStart}
          disabled={!ready}
          data-testid="kiosk-start"
        >
          {ready ? 'Start' : `Getting ready… ${percent === null ? '' : `${percent} %`}`}
        </button>
      )}
      <OfflineNote store={pwa} className="kiosk-offline" />
    </section>
  );
}
