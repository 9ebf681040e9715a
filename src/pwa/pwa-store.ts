/**
 * What the page knows about offline support: whether the offline copy is being prepared, ready or
 * failed, and whether a new version is waiting. Created per app (createPwaStore) like the engine
 * store; src/pwa/register.ts drives it, src/pwa/OfflineStatus.tsx and UpdatePrompt.tsx show it.
 */
import { createStore, type StoreApi } from 'zustand';

export type OfflineSetup =
  /** No service worker here: the dev server, an insecure context or an old browser. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** Registration waits until the models have loaded, so caching never slows the first start. */
  | { readonly kind: 'waiting' }
  | { readonly kind: 'preparing'; readonly loadedBytes: number; readonly totalBytes: number }
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string };

export type UpdateState =
  | { readonly kind: 'none' }
  /** A new version is installed and waits for the user (or the kiosk's next idle reset). */
  | { readonly kind: 'available' }
  /** Asked to take over; the page reloads once it has. */
  | { readonly kind: 'applying' }
  /** "Later": not asked again for this version. */
  | { readonly kind: 'dismissed' };

export interface PwaState {
  /** True when no service worker controlled this page at load: the one-time setup is shown. */
  readonly firstVisit: boolean;
  readonly offline: OfflineSetup;
  readonly update: UpdateState;
  /** The user accepted the update (register.ts posts skip-waiting, then reloads). */
  applyUpdate(): void;
  dismissUpdate(): void;
}

export type PwaStore = StoreApi<PwaState>;

export function createPwaStore(): PwaStore {
  return createStore<PwaState>()((set, get) => ({
    firstVisit: false,
    offline: { kind: 'waiting' },
    update: { kind: 'none' },
    applyUpdate() {
      if (get().update.kind === 'available' || get().update.kind === 'dismissed')
        set({ update: { kind: 'applying' } });
    },
    dismissUpdate() {
      if (get().update.kind === 'available') set({ update: { kind: 'dismissed' } });
    },
  }));
}
