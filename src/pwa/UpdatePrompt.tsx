/**
 * Offers a new version once it has fully installed. Reloading would lose the photos in memory, so
 * the user chooses when; "Later" hides the offer until the next version.
 */
import { useStore } from 'zustand';
import type { PwaStore } from './pwa-store.ts';

export function UpdatePrompt({ store }: { store: PwaStore }) {
  const update = useStore(store, (s) => s.update);
  const applyUpdate = useStore(store, (s) => s.applyUpdate);
  const dismissUpdate = useStore(store, (s) => s.dismissUpdate);
  if (update.kind !== 'available' && update.kind !== 'applying') return null;
  const applying = update.kind === 'applying';
  return (
    <section
      className="pwa-card"
      data-testid="update-prompt"
      role="alertdialog"
      aria-labelledby="update-title"
    >
      <p className="pwa-card-title" id="update-title">
        A new version of FaceCheck is ready
      </p>
      <p className="pwa-card-text">
        Updating reloads the page: photos and results you have not exported will be cleared.
      </p>
      <div className="pwa-actions">
        <button
          type="button"
          className="pwa-button pwa-button-primary"
          onClick={applyUpdate}
          disabled={applying}
        >
          {applying ? 'Updating…' : 'Update now'}
        </button>
        <button type="button" className="pwa-button" onClick={dismissUpdate} disabled={applying}>
          Later
        </button>
      </div>
    </section>
  );
}
