/**
 * Entry point: starts the inference worker, then renders the app. The worker boots outside React
 * so StrictMode's double effects cannot start it twice.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PwaStatus } from './pwa/PwaStatus.tsx';
import { createPwaStore } from './pwa/pwa-store.ts';
import { startOfflineSupport } from './pwa/register.ts';
import { browserBackendMemory } from './state/backend-memory.ts';
import { createEngineStore, type EngineStore, startEngine } from './state/engine-store.ts';
import { App } from './ui/App.tsx';
import { KioskApp } from './ui/kiosk/KioskApp.tsx';
import { readOnlyBackendMemory } from './ui/kiosk/kiosk-backend-memory.ts';
import { isKioskUrl, readKioskSettings } from './ui/kiosk/kiosk-settings.ts';
import './ui/styles.css';
import { type BackendName, isBackendName } from './worker/api.ts';
import { createEngineClient, type EngineClient } from './worker/client.ts';

/** Test hook for the Playwright suite; present only with `?e2e` in the URL. */
export interface E2eHook {
  readonly client: EngineClient;
  readonly store: EngineStore;
}

declare global {
  interface Window {
    __facecheck?: E2eHook;
  }
}

function requestedBackend(params: URLSearchParams): BackendName | null {
  const value = params.get('backend');
  if (value === null) return null;
  if (isBackendName(value)) return value;
  console.warn(`Ignoring ?backend=${value}: expected webgl, wasm or cpu`);
  return null;
}

function bootstrap(): void {
  const root = document.getElementById('root');
  if (root === null) throw new Error('index.html has no #root element');
  const params = new URLSearchParams(window.location.search);
  const store = createEngineStore();
  const client = createEngineClient();
  if (params.has('e2e')) window.__facecheck = { client, store };
  const kiosk = isKioskUrl(params) ? readKioskSettings(params) : null;
  // The URL forces a backend over the user's setting; with neither, the worker measures.
  // The kiosk stores nothing, so it may reuse a remembered measurement but never writes one.
  const storedMemory = browserBackendMemory();
  const backendMemory = kiosk === null ? storedMemory : readOnlyBackendMemory(storedMemory);
  void startEngine(store, client, requestedBackend(params) ?? backendMemory.setting(), backendMemory);
  const pwa = createPwaStore();
  void startOfflineSupport(pwa, store);
  createRoot(root).render(
    <StrictMode>
      {kiosk === null ? (
        <App store={store} client={client} />
      ) : (
        <KioskApp engine={store} client={client} pwa={pwa} settings={kiosk} testHook={params.has('e2e')} />
      )}
      <PwaStatus store={pwa} kiosk={kiosk !== null} />
    </StrictMode>,
  );
}

bootstrap();
