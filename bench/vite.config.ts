/**
 * Vite config of the benchmark page (bench/index.html): a separate entry, built by the runner
 * (scripts/bench) into a temporary folder. It reuses the app's worker settings from the root
 * vite.config.ts — ES module workers and the plugin that keeps tfjs's WASM thread factory
 * self-contained under minification — so the bench worker is bundled like the app's worker.
 * Models are not copied: the runner's server maps /models and /faceapi-models to their folders.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import appConfig from '../vite.config.ts';

const benchRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: benchRoot,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  worker: appConfig.worker,
  // `vite -c bench/vite.config.ts` for manual runs: same COOP/COEP headers as the app's servers.
  server: { headers: appConfig.server?.headers },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('../node_modules/.cache/facecheck-bench', import.meta.url)),
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: appConfig.build?.chunkSizeWarningLimit,
  },
});
