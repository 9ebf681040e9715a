/** Test hook for the Playwright suite (`?kiosk&e2e`): the kiosk store, to assert what it holds. */
import type { KioskStore } from '../../state/kiosk-store.ts';

export interface KioskE2eHook {
  readonly store: KioskStore;
}

declare global {
  interface Window {
    __facecheckKiosk?: KioskE2eHook;
  }
}

export function exposeKioskForTests(store: KioskStore): void {
  window.__facecheckKiosk = { store };
}
