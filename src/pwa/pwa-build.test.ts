import { describe, expect, it } from 'vitest';
import { isDocumentPath } from './build/csp-plugin.ts';
import { createPrecacheManifest } from './build/service-worker-plugin.ts';
import { DOCUMENT_CSP_HEADER, DOCUMENT_CSP_META, WORKER_CSP_HEADER } from './csp.ts';

const file = (path: string, text = path) => ({ path, bytes: Buffer.from(text) });

describe('precache manifest', () => {
  const files = [
    file('index.html'),
    file('assets/index-abc.js'),
    file('assets/tfjs-backend-wasm-simd-x.wasm'),
    file('models/index.json'),
    file('models/pnet/model.json'),
    file('sw.js'),
    file('icons/icon-192.png'),
  ];

  it('caches the shell (index.html as ./), WASM apart, never models or sw.js in the shell', () => {
    const m = createPrecacheManifest(files, null);
    expect(m.shell.map((f) => f.url)).toEqual(['assets/index-abc.js', 'icons/icon-192.png', './']);
    expect(m.wasm.map((f) => f.url)).toEqual(['assets/tfjs-backend-wasm-simd-x.wasm']);
    expect(m.shell.find((f) => f.url === './')?.bytes).toBe('index.html'.length);
  });

  it('changes its version when any shell or WASM byte changes, not when a model does', () => {
    const base = createPrecacheManifest(files, null).shellVersion;
    expect(createPrecacheManifest(files, null).shellVersion).toBe(base);
    const changed = files.map((f) => (f.path === 'assets/index-abc.js' ? file(f.path, 'other') : f));
    expect(createPrecacheManifest(changed, null).shellVersion).not.toBe(base);
    const model = files.map((f) => (f.path === 'models/pnet/model.json' ? file(f.path, 'new') : f));
    expect(createPrecacheManifest(model, null).shellVersion).toBe(base);
  });
});

describe('content security policy', () => {
  it('never allows eval, and keeps WASM and blob: scripts to the worker', () => {
    for (const policy of [DOCUMENT_CSP_META, DOCUMENT_CSP_HEADER, WORKER_CSP_HEADER]) {
      expect(policy).not.toContain("'unsafe-eval'");
      expect(policy).not.toContain("'unsafe-inline'");
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("connect-src 'self';");
    }
    expect(DOCUMENT_CSP_META).toContain("script-src 'self';");
    expect(WORKER_CSP_HEADER).toContain("script-src 'self' 'wasm-unsafe-eval' blob:;");
    expect(DOCUMENT_CSP_META).not.toContain('frame-ancestors');
    expect(DOCUMENT_CSP_HEADER).toContain("frame-ancestors 'none'");
  });

  it('gives the page policy to documents and the worker policy to everything else', () => {
    for (const path of ['/', '/index.html', '/kiosk', '/app/']) expect(isDocumentPath(path), path).toBe(true);
    for (const path of ['/sw.js', '/assets/worker-abc.js', '/models/index.json', '/icons/icon.svg'])
      expect(isDocumentPath(path), path).toBe(false);
  });
});
