/**
 * Offline setup and update offers, in a corner of the screen above everything else. The kiosk shows
 * neither here: its start screen carries a one-line offline status (OfflineNote), and it applies a
 * waiting version itself when nobody is using it.
 */
import { OfflineStatus } from './OfflineStatus.tsx';
import type { PwaStore } from './pwa-store.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import './pwa.css';

export function PwaStatus({ store, kiosk }: { store: PwaStore; kiosk: boolean }) {
  if (kiosk) return null;
  return (
    <div className="pwa-corner">
      <OfflineStatus store={store} />
      <UpdatePrompt store={store} />
    </div>
  );
}
