/**
 * Registers the service worker (src/pwa/sw.ts, built to `<base>sw.js`) and mirrors its lifecycle
 * into the PWA store:
 *
 * - first visit: waits for the engine to finish loading (caching 20 MB while the models load would
 *   slow the start on small machines), registers, and reports the install's progress;
 * - once a version is active: if the engine runs on WASM, asks it to cache the WASM binaries too;
 *   then the app is ready offline;
 * - a newer version that finished installing is offered (UpdatePrompt); the page reloads only after
 *   the user accepts, never on its own.
 */
import { whenEngineReady } from '../state/engine-ready.ts';
import type { EngineStore } from '../state/engine-store.ts';
import type { PwaStore } from './pwa-store.ts';
import { isWorkerToPage, type PageToWorker, type WorkerToPage } from './sw-protocol.ts';

/** How often a long-running tab (a kiosk) checks for a new version. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function unavailableReason(): string | null {
  if (!import.meta.env.PROD) return 'the development server does not build the service worker';
  if (!window.isSecureContext) return 'offline use needs HTTPS (or localhost)';
  if (!('serviceWorker' in navigator)) return 'this browser has no service workers';
  return null;
}

/** Sends a message to the active worker and waits for its one reply. */
function ask(worker: ServiceWorker, message: PageToWorker): Promise<WorkerToPage> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => {
      if (isWorkerToPage(event.data)) resolve(event.data);
      channel.port1.close();
    };
    worker.postMessage(message, [channel.port2]);
  });
}

async function cacheWasmIfUsed(engine: EngineStore, container: ServiceWorkerContainer): Promise<void> {
  if (engine.getState().status?.backend !== 'wasm') return;
  const registration = await container.ready;
  if (registration.active === null) return;
  const reply = await ask(registration.active, { type: 'cache-wasm' });
  if (reply.type === 'wasm-cache-failed') throw new Error(reply.message);
}

/** Calls `onInstalled` once the installing worker has installed (and waits, if another is active). */
function followInstall(worker: ServiceWorker, onInstalled: () => void): void {
  const check = () => {
    if (worker.state === 'installed') onInstalled();
  };
  worker.addEventListener('statechange', check);
  check();
}

export interface OfflineSupportOptions {
  /** Deployment base (`import.meta.env.BASE_URL`): the worker's scope and where sw.js lives. */
  readonly base?: string;
}

/** Starts offline support; never rejects (problems land in the store as `failed`). */
export async function startOfflineSupport(
  pwa: PwaStore,
  engine: EngineStore,
  { base = import.meta.env.BASE_URL }: OfflineSupportOptions = {},
): Promise<void> {
  const reason = unavailableReason();
  if (reason !== null) {
    pwa.setState({ offline: { kind: 'unavailable', reason } });
    return;
  }
  const container = navigator.serviceWorker;
  pwa.setState({ firstVisit: container.controller === null, offline: { kind: 'waiting' } });

  container.addEventListener('message', (event) => {
    const data: unknown = event.data;
    const { offline } = pwa.getState();
    // Only the first install is shown; an update installs quietly and is then offered.
    const settingUp =
      container.controller === null && (offline.kind === 'waiting' || offline.kind === 'preparing');
    if (!isWorkerToPage(data) || !settingUp) return;
    if (data.type === 'precache-progress') {
      pwa.setState({
        offline: { kind: 'preparing', loadedBytes: data.loadedBytes, totalBytes: data.totalBytes },
      });
    } else if (data.type === 'precache-failed') {
      pwa.setState({ offline: { kind: 'failed', message: data.message } });
    }
  });
  container.startMessages();

  // Reload only when the user asked for the new version: a first install also changes the
  // controller (clients.claim) and must not reload a page someone is working in.
  container.addEventListener('controllerchange', () => {
    if (pwa.getState().update.kind === 'applying') window.location.reload();
  });

  try {
    await whenEngineReady(engine).catch(() => {}); // a failed engine still gets an offline shell
    const registration = await container.register(`${base}sw.js`, { scope: base, updateViaCache: 'none' });
    const offerUpdate = () => {
      if (container.controller !== null && registration.waiting !== null) {
        pwa.setState({ update: { kind: 'available' } });
      }
    };
    pwa.subscribe((state, previous) => {
      if (state.update.kind === 'applying' && previous.update.kind !== 'applying') {
        const waiting = registration.waiting;
        // No longer waiting: another tab already applied it, so it controls this page too and no
        // controllerchange will come. Only the reload is left to do.
        if (waiting === null) window.location.reload();
        else waiting.postMessage({ type: 'skip-waiting' } satisfies PageToWorker);
      }
    });
    const follow = () => {
      const installing = registration.installing;
      if (installing !== null) followInstall(installing, offerUpdate);
    };
    registration.addEventListener('updatefound', follow);
    follow(); // `updatefound` may have fired before register() resolved
    offerUpdate(); // a version that finished installing in an earlier visit
    window.setInterval(() => void registration.update().catch(() => {}), UPDATE_CHECK_MS);

    await container.ready;
    await cacheWasmIfUsed(engine, container);
    pwa.setState({ offline: { kind: 'ready' } });
  } catch (error) {
    pwa.setState({ offline: { kind: 'failed', message: messageOf(error) } });
  }
}
