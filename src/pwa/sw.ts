/**
 * FaceCheck's service worker: makes the app start and run without a network.
 *
 * - install: caches the app shell (this build's files) and the models (under their index.json
 *   version), verifying every model file's sha256, and reports progress to the open pages. A version
 *   only installs once all of it is cached, so it never takes over half-ready.
 * - activate: deletes every FaceCheck cache but this version's two, then controls open pages.
 * - fetch: answers the shell, the models and the WASM binaries from the cache (network only on a
 *   miss); everything else goes to the network untouched. Page navigations get the cached shell.
 * - A new version waits until the page asks it to take over (the update prompt): no reload mid-work.
 *
 * Built by src/pwa/build/service-worker-plugin.ts, which replaces __FACECHECK_PRECACHE__ with this
 * build's file list. The worker stores only public app files; never photos, faces or results.
 */
import {
  CACHE_PREFIX,
  type ModelFile,
  modelCacheName,
  type PrecacheFile,
  type PrecacheManifest,
  shellCacheName,
} from './precache-manifest.ts';
import type { PageToWorker, WorkerToPage } from './sw-protocol.ts';

declare const __FACECHECK_PRECACHE__: PrecacheManifest;

const sw = self as unknown as ServiceWorkerGlobalScope;
const MANIFEST = __FACECHECK_PRECACHE__;
const SHELL_CACHE = shellCacheName(MANIFEST);
const MODEL_CACHE = modelCacheName(MANIFEST);
const absolute = (url: string) => new URL(url, sw.location.href).href;
/** The shell document, served for every navigation inside the scope. */
const SHELL_DOCUMENT = absolute('./');

const shellUrls = new Set(MANIFEST.shell.map((f) => absolute(f.url)));
const wasmUrls = new Set(MANIFEST.wasm.map((f) => absolute(f.url)));
const modelFiles = MANIFEST.models === null ? [] : [MANIFEST.models.index, ...MANIFEST.models.files];
const modelUrls = new Set(modelFiles.map((f) => absolute(f.url)));

const sumBytes = (files: readonly PrecacheFile[]) => files.reduce((n, f) => n + f.bytes, 0);

async function broadcast(message: WorkerToPage): Promise<void> {
  // includeUncontrolled: on a first visit the page that registered us is not controlled yet.
  const pages = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) page.postMessage(message);
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fetches past the HTTP cache's freshness (revalidating) so a stale copy is never stored under a
 * new version. Same-origin only, by construction of the manifest.
 */
async function download(url: string): Promise<Response> {
  const response = await fetch(new Request(url, { cache: 'no-cache', credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${new URL(url).pathname}`);
  return response;
}

/** A model file whose bytes match index.json's sha256, or an error naming the file. */
async function verifiedModelResponse(file: ModelFile): Promise<Response> {
  const response = await download(absolute(file.url));
  const bytes = await response.arrayBuffer();
  const actual = hex(await crypto.subtle.digest('SHA-256', bytes));
  if (actual !== file.sha256) {
    throw new Error(
      `${file.url} does not match models/index.json (sha256 ${actual}, expected ${file.sha256})`,
    );
  }
  return new Response(bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

interface Progress {
  add(bytes: number): void;
}

/**
 * Puts every missing file into `cacheName`; files already there (an unchanged model version, a
 * retried install) are counted as done without a download.
 */
async function fill<F extends PrecacheFile>(
  cacheName: string,
  files: readonly F[],
  progress: Progress,
  fetchOne: (file: F) => Promise<Response>,
): Promise<void> {
  const cache = await caches.open(cacheName);
  for (const file of files) {
    if ((await cache.match(absolute(file.url), { ignoreVary: true })) === undefined) {
      await cache.put(absolute(file.url), await fetchOne(file));
    }
    progress.add(file.bytes);
  }
}

/** True when any older FaceCheck shell cache holds a WASM binary: this device runs on WASM. */
async function deviceUsesWasm(): Promise<boolean> {
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${CACHE_PREFIX}shell-`) || name === SHELL_CACHE) continue;
    const keys = await (await caches.open(name)).keys();
    if (keys.some((request) => request.url.endsWith('.wasm'))) return true;
  }
  return false;
}

async function cacheWasm(progress: Progress): Promise<void> {
  await fill(SHELL_CACHE, MANIFEST.wasm, progress, (f) => download(absolute(f.url)));
}

async function install(): Promise<void> {
  const withWasm = await deviceUsesWasm();
  const index = MANIFEST.models === null ? [] : [MANIFEST.models.index];
  const files = MANIFEST.models?.files ?? [];
  const parts = [MANIFEST.shell, index, files, withWasm ? MANIFEST.wasm : []];
  const totalBytes = parts.reduce((n, p) => n + sumBytes(p), 0);
  let loadedBytes = 0;
  const progress: Progress = {
    add(bytes) {
      loadedBytes += bytes;
      void broadcast({ type: 'precache-progress', version: MANIFEST.shellVersion, loadedBytes, totalBytes });
    },
  };
  await fill(SHELL_CACHE, MANIFEST.shell, progress, (f) => download(absolute(f.url)));
  // Models first into a cache named by their version: an app-only update finds them all present.
  await fill(MODEL_CACHE, files, progress, verifiedModelResponse);
  // index.json last: its presence marks the model cache complete.
  await fill(MODEL_CACHE, index, progress, (f) => download(absolute(f.url)));
  if (withWasm) await cacheWasm(progress);
}

async function activate(): Promise<void> {
  const keep = new Set([SHELL_CACHE, MODEL_CACHE]);
  const names = await caches.keys();
  await Promise.all(
    names.filter((n) => n.startsWith(CACHE_PREFIX) && !keep.has(n)).map((n) => caches.delete(n)),
  );
  await sw.clients.claim();
}

/** Cache first; a miss goes to the network (and WASM binaries are kept for next time). */
async function fromCache(request: Request, cacheName: string, keep: boolean): Promise<Response> {
  const cache = await caches.open(cacheName);
  // ignoreVary: the server sends `Vary: Origin`, and a module script's request carries an Origin
  // header that the install's plain fetch did not; the bytes are the same either way.
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached !== undefined) return cached;
  const response = await fetch(request);
  if (keep && response.ok) await cache.put(request, response.clone());
  return response;
}

async function navigation(request: Request): Promise<Response> {
  const cached = await (await caches.open(SHELL_CACHE)).match(SHELL_DOCUMENT, { ignoreVary: true });
  return cached ?? fetch(request);
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    install().catch(async (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      await broadcast({ type: 'precache-failed', message });
      throw error; // the install fails; the browser tries again on the next visit
    }),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(activate());
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  const key = `${url.origin}${url.pathname}`;
  if (shellUrls.has(key)) event.respondWith(fromCache(request, SHELL_CACHE, false));
  else if (modelUrls.has(key)) event.respondWith(fromCache(request, MODEL_CACHE, false));
  else if (wasmUrls.has(key)) event.respondWith(fromCache(request, SHELL_CACHE, true));
});

sw.addEventListener('message', (event) => {
  const message = event.data as PageToWorker;
  const reply = (answer: WorkerToPage) => event.ports[0]?.postMessage(answer);
  switch (message?.type) {
    case 'skip-waiting':
      void sw.skipWaiting();
      return;
    case 'cache-wasm':
      event.waitUntil(
        cacheWasm({ add() {} }).then(
          () => reply({ type: 'wasm-cached' }),
          (error: unknown) =>
            reply({
              type: 'wasm-cache-failed',
              message: error instanceof Error ? error.message : String(error),
            }),
        ),
      );
      return;
  }
});
