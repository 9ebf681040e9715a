/**
 * Vite plugin (build only): after the app is written to the output folder, lists what the service
 * worker must cache — every shell file with its size, the WASM binaries, and the models from
 * models/index.json — and bundles src/pwa/sw.ts into `<outDir>/sw.js` with that list inlined.
 *
 * Inlining the list (rather than fetching it at install) makes sw.js change byte-for-byte whenever
 * any shell file or the model version changes, which is what makes the browser install a new
 * version and show the update prompt.
 *
 * Runs in Node from vite.config.ts; not part of the browser bundles.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import type { ModelIndex } from '../../models/specs.ts';
import type { ModelFile, PrecacheFile, PrecacheManifest } from '../precache-manifest.ts';

const SW_FILE = 'sw.js';
const SW_ENTRY = fileURLToPath(new URL('../sw.ts', import.meta.url));

interface BuiltFile {
  /** Relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly bytes: Buffer;
}

async function listFiles(root: string): Promise<BuiltFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (file) => ({
      path: relative(root, file).split(sep).join('/'),
      bytes: await readFile(file),
    })),
  );
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The shell is everything the build wrote except the models (own cache), WASM and the worker itself. */
function shellAndWasm(files: readonly BuiltFile[]): { shell: BuiltFile[]; wasm: BuiltFile[] } {
  const app = files
    .filter((f) => f.path !== SW_FILE && !f.path.startsWith('models/'))
    .sort((a, b) => a.path.localeCompare(b.path));
  return {
    shell: app.filter((f) => !f.path.endsWith('.wasm')),
    wasm: app.filter((f) => f.path.endsWith('.wasm')),
  };
}

/** index.html is cached as the scope's root URL: the document every navigation gets offline. */
const toPrecache = (f: BuiltFile): PrecacheFile => ({
  url: f.path === 'index.html' ? './' : f.path,
  bytes: f.bytes.length,
});

async function modelsOf(
  outDir: string,
  warn: (message: string) => void,
): Promise<PrecacheManifest['models']> {
  const indexPath = join(outDir, 'models/index.json');
  let raw: Buffer;
  try {
    raw = await readFile(indexPath);
  } catch {
    warn(`${indexPath} is missing (run \`npm run models\`): the service worker will not cache models.`);
    return null;
  }
  const index = JSON.parse(raw.toString('utf8')) as ModelIndex;
  const files: ModelFile[] = Object.entries(index.models).flatMap(([id, model]) =>
    model.files.map((f) => ({ url: `models/${id}/${f.name}`, bytes: f.bytes, sha256: f.sha256 })),
  );
  return { version: index.version, index: { url: 'models/index.json', bytes: raw.length }, files };
}

export function createPrecacheManifest(
  files: readonly BuiltFile[],
  models: PrecacheManifest['models'],
): PrecacheManifest {
  const { shell, wasm } = shellAndWasm(files);
  // Names and contents of every shell and WASM file: any change gives a new cache and a new sw.js.
  const shellVersion = sha256(
    [...shell, ...wasm].map((f) => `${f.path}\0${sha256(f.bytes)}`).join('\n'),
  ).slice(0, 16);
  return { shellVersion, shell: shell.map(toPrecache), wasm: wasm.map(toPrecache), models };
}

/** What bundling the worker needs from Vite's resolved config. */
export interface ServiceWorkerBuildOptions {
  /** Project root, where src/pwa/sw.ts is resolved from. */
  readonly root: string;
  readonly mode: string;
  warn(message: string): void;
}

async function bundleServiceWorker(
  config: ServiceWorkerBuildOptions,
  manifest: PrecacheManifest,
): Promise<string> {
  const output = await build({
    configFile: false,
    root: config.root,
    mode: config.mode,
    logLevel: 'warn',
    publicDir: false,
    define: { __FACECHECK_PRECACHE__: JSON.stringify(manifest) },
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      copyPublicDir: false,
      modulePreload: false,
      // A classic script (no import/export): module service workers are not supported everywhere.
      rolldownOptions: { input: SW_ENTRY, output: { format: 'iife', entryFileNames: SW_FILE } },
    },
  });
  const chunk = (Array.isArray(output) ? output : [output]).flatMap((o) =>
    'output' in o ? o.output : [],
  )[0];
  if (chunk === undefined || chunk.type !== 'chunk')
    throw new Error('service worker build produced no chunk');
  return chunk.code;
}

/**
 * Writes `<outDir>/sw.js` for the app already built into `outDir` and returns what it caches. The
 * plugin's whole job, callable on any built folder: e2e/pwa-update.spec.ts makes a "next release"
 * of a copied build with it, exactly as a new deployment would get its worker.
 */
export async function writeServiceWorker(
  outDir: string,
  options: ServiceWorkerBuildOptions,
): Promise<PrecacheManifest> {
  const models = await modelsOf(outDir, options.warn);
  const manifest = createPrecacheManifest(await listFiles(outDir), models);
  await writeFile(join(outDir, SW_FILE), await bundleServiceWorker(options, manifest));
  return manifest;
}

export function serviceWorkerPlugin(): Plugin {
  let config: ResolvedConfig | null = null;
  return {
    name: 'facecheck:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      if (config === null || config.build.ssr) return;
      const outDir = resolve(config.root, config.build.outDir);
      const manifest = await writeServiceWorker(outDir, {
        root: config.root,
        mode: config.mode,
        warn: (message) => this.warn(message),
      });
      const { models } = manifest;
      const total = [...manifest.shell, ...manifest.wasm, ...(models?.files ?? [])].reduce(
        (n, f) => n + f.bytes,
        0,
      );
      config.logger.info(
        `service worker: ${SW_FILE} caches ${manifest.shell.length} shell files (version ${manifest.shellVersion}), ` +
          `${manifest.wasm.length} WASM binaries on demand and models ${models?.version ?? '(none)'}; ` +
          `${(total / 1e6).toFixed(1)} MB in all`,
      );
    },
  };
}
