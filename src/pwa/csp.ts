/**
 * The Content Security Policies, in one place. Two of them, because a policy binds the context it
 * is delivered to, and the page and the inference worker need different things:
 *
 * - DOCUMENT: the page (index.html). Runs no WebAssembly and loads no blob: scripts.
 * - WORKER: every script response, i.e. the inference worker (and the service worker). The worker
 *   compiles tfjs's WASM binary ('wasm-unsafe-eval') and the threaded WASM backend starts its
 *   pthreads as blob: workers that importScripts() a blob: copy of the Emscripten glue (blob: in
 *   script-src and worker-src). Those blob: workers inherit this policy from the worker.
 *
 * Neither needs 'unsafe-eval': tfjs 4.22 (WebGL, WASM and CPU backends) runs under both, measured
 * in e2e/privacy.spec.ts. Why each directive is there: docs/privacy.md.
 *
 * Imported by the build (vite.config.ts, src/pwa/build/csp-plugin.ts); no dependencies.
 */

/** Directive → sources. Order is kept in the serialised policy so diffs stay readable. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/** The page's policy: everything from its own origin, nothing compiled or evaluated. */
export const DOCUMENT_DIRECTIVES: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // The inference worker (a same-origin module) and the service worker.
  'worker-src': ["'self'"],
  // fetch/XHR/WebSocket to this origin only (the page fetches nothing else).
  'connect-src': ["'self'"],
  // Photos are shown from object URLs (blob:); face crops are BMP data: URLs.
  'img-src': ["'self'", 'blob:', 'data:'],
  // The kiosk camera preview (a MediaStream in a <video>).
  'media-src': ["'self'", 'blob:', 'mediastream:'],
  // The built stylesheet only; React's `style` props set CSSOM properties, which CSP allows.
  'style-src': ["'self'"],
  'object-src': ["'none'"],
  // Neither falls back to default-src: a <base> or a form could otherwise point elsewhere.
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** The inference worker's policy: the page's, plus what tfjs's WASM backend needs. */
export const WORKER_DIRECTIVES: CspDirectives = {
  ...DOCUMENT_DIRECTIVES,
  'script-src': ["'self'", "'wasm-unsafe-eval'", 'blob:'],
  'worker-src': ["'self'", 'blob:'],
};

/** Only valid in a header (a <meta> policy ignores it, with a console warning). */
const HEADER_ONLY: CspDirectives = {
  // Nobody can frame the app to overlay it (clickjacking the camera or the verdict).
  'frame-ancestors': ["'none'"],
};

export function serialiseCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** For the page's <meta http-equiv="Content-Security-Policy">. */
export const DOCUMENT_CSP_META = serialiseCsp(DOCUMENT_DIRECTIVES);

/** The Content-Security-Policy header of HTML responses. */
export const DOCUMENT_CSP_HEADER = serialiseCsp({ ...DOCUMENT_DIRECTIVES, ...HEADER_ONLY });

/** The Content-Security-Policy header of every other response (it only binds workers). */
export const WORKER_CSP_HEADER = serialiseCsp({ ...WORKER_DIRECTIVES, ...HEADER_ONLY });
