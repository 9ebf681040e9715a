import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { cspPlugin } from './src/pwa/build/csp-plugin.ts';
import { serviceWorkerPlugin } from './src/pwa/build/service-worker-plugin.ts';

/**
 * Cross-origin isolation (COOP + COEP) unlocks SharedArrayBuffer, which the multi-threaded tfjs
 * WASM binary needs. Everything the app loads is same-origin, so `require-corp` blocks nothing.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const THREADED_GLUE = /tfjs-backend-wasm-threaded-simd\.js$/;
const FACTORY_HEAD =
  'function(WasmBackendModuleThreadedSimd) {\n  WasmBackendModuleThreadedSimd = WasmBackendModuleThreadedSimd || {};\n';

/**
 * tfjs starts each WASM pthread from `factory.toString()`, so the factory must not reference its
 * enclosing scope. Emscripten's glue reads `_scriptDir` from there behind a `typeof` guard, which
 * the minifier drops once it sees the outer declaration: every thread then dies with
 * "ReferenceError: e is not defined". Declaring `_scriptDir` inside the factory keeps it whole.
 */
function selfContainedWasmThreadFactory(): Plugin {
  return {
    name: 'facecheck:self-contained-wasm-thread-factory',
    transform(code, id) {
      if (!THREADED_GLUE.test(id)) return null;
      if (!code.includes(FACTORY_HEAD)) {
        this.error(`${id}: factory header not found; re-check this plugin after a tfjs-backend-wasm upgrade`);
      }
      const scriptDir =
        "var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;\n";
      return { code: code.replace(FACTORY_HEAD, FACTORY_HEAD + scriptDir), map: null };
    },
  };
}

export default defineConfig({
  // cspPlugin: the page's CSP <meta> in the build, CSP headers in `vite preview` (docs/privacy.md).
  plugins: [react(), cspPlugin(), serviceWorkerPlugin()],
  worker: {
    // Module workers: the inference worker uses `import`, and ES output keeps one bundle format.
    format: 'es',
    plugins: () => [selfContainedWasmThreadFactory()],
  },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  build: {
    target: 'es2022',
    // The tfjs backends make the worker chunk large by nature; warn only well beyond that.
    chunkSizeWarningLimit: 3000,
  },
});
