/**
 * Kiosk mode (`?kiosk`): a full-screen, touch-first flow for unattended demos — start, enrol a
 * reference face with the camera, verify a second capture against it, see the verdict. After
 * `idleSeconds` without a touch, or on "Finish", everything is wiped from memory and the start
 * screen returns. Nothing is ever written to storage, and a waiting app update is applied only when
 * nobody is mid-flow.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { PwaStore } from '../../pwa/pwa-store.ts';
import type { EngineStore } from '../../state/engine-store.ts';
import { createKioskStore, type KioskStep } from '../../state/kiosk-store.ts';
import type { EngineClient } from '../../worker/client.ts';
import { CaptureScreen } from './CaptureScreen.tsx';
import { IdleWarning } from './IdleWarning.tsx';
import type { KioskSettings } from './kiosk-settings.ts';
import { ResultScreen } from './ResultScreen.tsx';
import { StartScreen } from './StartScreen.tsx';
import { exposeKioskForTests } from './test-hook.ts';
import { useFullscreenOnFirstTouch } from './useFullscreenOnFirstTouch.ts';
import { useIdleCountdown } from './useIdleCountdown.ts';
import './kiosk.css';

export interface KioskAppProps {
  readonly engine: EngineStore;
  readonly client: EngineClient;
  readonly pwa: PwaStore;
  readonly settings: KioskSettings;
  /** Exposes the kiosk store as `window.__facecheckKiosk` (`?e2e`). */
  readonly testHook?: boolean;
}

const STEP_LABEL: Readonly<Record<KioskStep['kind'], string>> = {
  start: 'Welcome',
  enroll: 'Step 1 of 2 · Reference photo',
  verify: 'Step 2 of 2 · Verification photo',
  result: 'Result',
};

export function KioskApp({ engine, client, pwa, settings, testHook = false }: KioskAppProps) {
  const [store] = useState(() => createKioskStore(settings));
  const step = useStore(store, (s) => s.step);
  const update = useStore(pwa, (s) => s.update.kind);
  const { begin, reset, verifyAgain } = store.getState();

  useEffect(() => {
    if (testHook) exposeKioskForTests(store);
  }, [testHook, store]);

  useFullscreenOnFirstTouch();
  const remaining = useIdleCountdown(settings.idleSeconds, step.kind !== 'start', reset);

  // Nobody is mid-flow on the start screen: the moment to switch to a new version.
  useEffect(() => {
    if (step.kind === 'start' && update === 'available') pwa.getState().applyUpdate();
  }, [step.kind, update, pwa]);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops the long-press menu on touch screens
    <div
      className="kiosk"
      data-testid="kiosk-screen"
      data-step={step.kind}
      onContextMenu={(e) => e.preventDefault()}
    >
      <header className="kiosk-header">
        <span className="kiosk-brand">
          <img src={`${import.meta.env.BASE_URL}icons/icon.svg`} alt="" width={40} height={40} /> FaceCheck
        </span>
        <span className="kiosk-progress-label">{STEP_LABEL[step.kind]}</span>
        {step.kind === 'start' ? (
          <span className="kiosk-header-spacer" />
        ) : (
          <button type="button" className="kiosk-button kiosk-button-quiet" onClick={reset}>
            Start over
          </button>
        )}
      </header>
      <main className="kiosk-main">
        {step.kind === 'start' ? (
          <StartScreen
            engine={engine}
            pwa={pwa}
            idleSeconds={settings.idleSeconds}
            liveness={settings.liveness}
            onStart={begin}
          />
        ) : null}
        {step.kind === 'enroll' || step.kind === 'verify' ? (
          // Keyed by step: the camera restarts for the second photo, so no frame of the first lingers.
          <CaptureScreen
            key={step.kind}
            purpose={step.kind}
            attempt={step.attempt}
            reference={step.kind === 'verify' ? step.reference : null}
            client={client}
            store={store}
          />
        ) : null}
        {step.kind === 'result' ? (
          <ResultScreen
            reference={step.reference}
            result={step.result}
            onVerifyAgain={verifyAgain}
            onFinish={reset}
          />
        ) : null}
      </main>
      {settings.liveness ? (
        <footer className="kiosk-footer">
          Liveness check on: it deters photos and screens, but it is not proof that a real person is present.
        </footer>
      ) : null}
      {remaining === null ? null : <IdleWarning seconds={remaining} />}
    </div>
  );
}
