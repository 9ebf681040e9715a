/**
 * One line of offline status for the kiosk's start screen, where a floating card would cover the
 * camera: preparing (with a percentage), ready, or why not.
 */
import { useStore } from 'zustand';
import type { PwaStore } from './pwa-store.ts';

export function OfflineNote({ store, className }: { store: PwaStore; className?: string }) {
  const offline = useStore(store, (s) => s.offline);
  let text: string;
  switch (offline.kind) {
    case 'unavailable':
    case 'waiting':
      return null;
    case 'preparing':
      text = `Preparing offline use… ${offline.totalBytes > 0 ? Math.floor((100 * offline.loadedBytes) / offline.totalBytes) : 0} %`;
      break;
    case 'ready':
      text = '✓ Works offline';
      break;
    case 'failed':
      text = `Offline use is not ready (${offline.message})`;
      break;
  }
  return (
    <p className={className} data-testid="offline-status" data-state={offline.kind} aria-live="polite">
      {text}
    </p>
  );
}
