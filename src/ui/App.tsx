/**
 * The app shell: a header and the engine status. Feature views (verification, enrolment…) go into
 * <main> next to the status panel; they read the engine through EngineStoreContext.
 */
import { type EngineStore, EngineStoreContext } from '../state/engine-store.ts';
import { StatusPanel } from './StatusPanel.tsx';

export function App({ store }: { store: EngineStore }) {
  return (
    <EngineStoreContext value={store}>
      <div className="app">
        <header className="app-header">
          <h1>FaceCheck</h1>
          <p className="tagline">
            Face verification that runs entirely in your browser. No image leaves this device.
          </p>
        </header>
        <main className="app-main">
          <StatusPanel />
        </main>
      </div>
    </EngineStoreContext>
  );
}
