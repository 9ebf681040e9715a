/**
 * The app shell: header (title, views, model, engine indicator), the current view, and the engine
 * status. The session store — photos, results, gallery — is created once per app here and handed
 * down through context next to the engine store.
 */
import { type KeyboardEvent, useRef, useState } from 'react';
import { whenEngineReady } from '../state/engine-ready.ts';
import { type EngineStore, EngineStoreContext } from '../state/engine-store.ts';
import { createSessionStore, type SessionStore, SessionStoreContext } from '../state/session-store.ts';
import type { EngineClient } from '../worker/client.ts';
import { EngineIndicator } from './EngineIndicator.tsx';
import { IdentifyView } from './IdentifyView.tsx';
import { KioskLauncher } from './kiosk/KioskLauncher.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { StatusPanel } from './StatusPanel.tsx';
import { VerifyView } from './VerifyView.tsx';

const VIEWS = [
  { id: 'verify', label: 'Verify a person' },
  { id: 'identify', label: 'Identify faces' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

export interface AppProps {
  readonly store: EngineStore;
  readonly client: EngineClient;
  /** For tests: a session store made outside (default: one made here, once). */
  readonly session?: SessionStore;
}

export function App({ store, client, session: given }: AppProps) {
  // Lazy initial state: created once per mounted app, no side effects until photos are added.
  const [session] = useState(
    () => given ?? createSessionStore({ client, engineReady: () => whenEngineReady(store) }),
  );
  const [view, setView] = useState<ViewId>('verify');
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (index + step + VIEWS.length) % VIEWS.length;
    setView(VIEWS[next]?.id ?? 'verify');
    tabs.current[next]?.focus();
  };

  return (
    <EngineStoreContext value={store}>
      <SessionStoreContext value={session}>
        <div className="app">
          <header className="app-header">
            <div className="brand">
              <h1>FaceCheck</h1>
              <p className="tagline">
                Face verification that runs entirely in your browser. No image leaves this device.
              </p>
            </div>
            <div className="header-tools">
              <ModelPicker client={client} />
              <EngineIndicator />
              <KioskLauncher />
            </div>
          </header>
          <div className="tabs" role="tablist" aria-label="Views">
            {VIEWS.map((v, i) => (
              <button
                key={v.id}
                ref={(el) => {
                  tabs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`tab-${v.id}`}
                aria-selected={view === v.id}
                aria-controls={`panel-${v.id}`}
                tabIndex={view === v.id ? 0 : -1}
                className="tab"
                onClick={() => setView(v.id)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {v.label}
              </button>
            ))}
          </div>
          <main className="app-main">
            <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
              {view === 'verify' ? <VerifyView /> : <IdentifyView />}
            </div>
            <StatusPanel client={client} />
          </main>
        </div>
      </SessionStoreContext>
    </EngineStoreContext>
  );
}
