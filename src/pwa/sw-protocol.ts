/**
 * Messages between the page and the service worker (src/pwa/sw.ts). Type-only, so importing it
 * never pulls code into either bundle.
 */

/** Page → service worker. */
export type PageToWorker =
  /** The user accepted the update prompt: the waiting version takes over (then the page reloads). */
  | { readonly type: 'skip-waiting' }
  /** The engine runs on WASM: cache the binaries too. Answered on the message's port. */
  | { readonly type: 'cache-wasm' };

/** Service worker → page. */
export type WorkerToPage =
  /** Broadcast while a version installs: bytes of shell + models (+ WASM) cached so far. */
  | {
      readonly type: 'precache-progress';
      readonly version: string;
      readonly loadedBytes: number;
      readonly totalBytes: number;
    }
  /** The install failed (it is retried on the next visit); the reason, for the page to show. */
  | { readonly type: 'precache-failed'; readonly message: string }
  /** Reply to `cache-wasm`. */
  | { readonly type: 'wasm-cached' }
  | { readonly type: 'wasm-cache-failed'; readonly message: string };

export function isWorkerToPage(data: unknown): data is WorkerToPage {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { type?: unknown }).type === 'string' &&
    ['precache-progress', 'precache-failed', 'wasm-cached', 'wasm-cache-failed'].includes(
      (data as { type: string }).type,
    )
  );
}
