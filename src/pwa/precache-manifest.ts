/**
 * What the build tells the service worker to cache. src/pwa/build/service-worker-plugin.ts writes it
 * into sw.js after the app is built; src/pwa/sw.ts reads it. URLs are relative to the service
 * worker's own URL (so any deployment base works).
 */

export interface PrecacheFile {
  readonly url: string;
  readonly bytes: number;
}

export interface ModelFile extends PrecacheFile {
  /** From models/index.json; the service worker refuses a download with another hash. */
  readonly sha256: string;
}

export interface PrecacheManifest {
  /** Hash over every shell file's name and bytes: names this build's shell cache. */
  readonly shellVersion: string;
  /** index.html (as './'), the hashed JS/CSS bundles, the web manifest and the icons. */
  readonly shell: readonly PrecacheFile[];
  /**
   * tfjs WASM binaries. A device runs one backend, so these are cached when the engine runs on
   * WASM (or when the version being replaced had cached them), not on every install.
   */
  readonly wasm: readonly PrecacheFile[];
  /** Null when the build had no models/index.json (`npm run models` not run): shell only. */
  readonly models: {
    /** `version` of models/index.json: a hash over every model artifact. */
    readonly version: string;
    /** models/index.json itself (no hash of its own) and every artifact it lists. */
    readonly index: PrecacheFile;
    readonly files: readonly ModelFile[];
  } | null;
}

/** Cache names all start with this, so a new version can tell its own caches from old ones. */
export const CACHE_PREFIX = 'facecheck-';
export const shellCacheName = (m: PrecacheManifest) => `${CACHE_PREFIX}shell-${m.shellVersion}`;
export const modelCacheName = (m: PrecacheManifest) => `${CACHE_PREFIX}models-${m.models?.version ?? 'none'}`;
