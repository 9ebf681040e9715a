/**
 * Asks the browser to keep this origin's storage (the saved gallery, the offline copy) under storage
 * pressure instead of evicting it. Call it right after the user saves a gallery: browsers grant it
 * more readily in response to a user action, and it is pointless before anything worth keeping is
 * stored. Never called in kiosk mode, which stores nothing.
 */

export type PersistOutcome =
  /** Granted now, or already granted earlier. */
  | 'persisted'
  /** The browser said no (Chromium decides from engagement; Firefox may ask the user). */
  | 'best-effort'
  /** No StorageManager.persist here (old browser, insecure context). */
  | 'unsupported';

export async function requestPersistentStorage(
  storage: StorageManager | undefined = globalThis.navigator?.storage,
): Promise<PersistOutcome> {
  if (storage === undefined || typeof storage.persist !== 'function') return 'unsupported';
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) return 'persisted';
    return (await storage.persist()) ? 'persisted' : 'best-effort';
  } catch {
    return 'unsupported';
  }
}
