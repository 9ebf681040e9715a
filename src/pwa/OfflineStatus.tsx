/**
 * The one-time "Preparing offline use" card of a first visit: progress while the service worker
 * caches the app and the models, then a short "ready" note. Both are passive (clicks go through to
 * the app beneath). Later visits show nothing, unless preparing failed.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { PwaStore } from './pwa-store.ts';

/** How long the "ready" note stays before it hides itself. */
const READY_NOTE_MS = 6000;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function OfflineStatus({ store }: { store: PwaStore }) {
  const offline = useStore(store, (s) => s.offline);
  const firstVisit = useStore(store, (s) => s.firstVisit);
  const [closed, setClosed] = useState(false);
  const ready = offline.kind === 'ready';

  useEffect(() => {
    if (!ready) return;
    const timer = window.setTimeout(() => setClosed(true), READY_NOTE_MS);
    return () => window.clearTimeout(timer);
  }, [ready]);

  if (closed) return null;
  if (offline.kind === 'failed') {
    return (
      <section className="pwa-card" data-testid="offline-status" data-state="failed" role="alert">
        <p className="pwa-card-title">Offline use is not available yet</p>
        <p className="pwa-card-text">
          {offline.message}. FaceCheck keeps working online and tries again on your next visit.
        </p>
        <button type="button" className="pwa-button" onClick={() => setClosed(true)}>
          Close
        </button>
      </section>
    );
  }
  if (!firstVisit) return null;
  if (offline.kind === 'preparing') {
    const percent = offline.totalBytes > 0 ? Math.floor((100 * offline.loadedBytes) / offline.totalBytes) : 0;
    return (
      <section
        className="pwa-card pwa-card-passive"
        data-testid="offline-status"
        data-state="preparing"
        aria-live="polite"
      >
        <p className="pwa-card-title">Preparing offline use… {percent} %</p>
        <progress
          className="pwa-progress"
          max={offline.totalBytes}
          value={offline.loadedBytes}
          aria-label="Preparing offline use"
        />
        <p className="pwa-card-text">
          Saving the app and its face models ({megabytes(offline.totalBytes)}) on this device, once, so that
          FaceCheck also works without a network. Your photos are never stored.
        </p>
      </section>
    );
  }
  if (ready) {
    return (
      <section
        className="pwa-card pwa-card-ok pwa-card-passive"
        data-testid="offline-status"
        data-state="ready"
        role="status"
      >
        <p className="pwa-card-title">Ready to work offline</p>
        <p className="pwa-card-text">FaceCheck now starts and runs on this device without a network.</p>
      </section>
    );
  }
  return null;
}
