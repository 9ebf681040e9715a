/**
 * A static server for a built FaceCheck folder that the test can re-point at another folder
 * ("deploy a new release") while pages are open. It sends what `vite preview` sends in the e2e
 * suite (vite.config.ts, src/pwa/build/csp-plugin.ts): COOP/COEP on every response, the page's CSP
 * on documents and the worker's CSP on everything else. Every response says `no-cache`, so the
 * browser always revalidates and sees a deployment at once. 127.0.0.1 only, on a free port.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { isDocumentPath } from '../../src/pwa/build/csp-plugin.ts';
import { DOCUMENT_CSP_HEADER, WORKER_CSP_HEADER } from '../../src/pwa/csp.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface BuildServer {
  readonly origin: string;
  /** From the next request on, serves `folder` instead (requests already answered are not redone). */
  deploy(folder: string): void;
  close(): Promise<void>;
}

/** `root` + the request path, or null when the path escapes `root`. */
function within(root: string, pathname: string): string | null {
  const full = normalize(join(root, decodeURIComponent(pathname)));
  return full === root || full.startsWith(root + sep) ? full : null;
}

async function send(response: ServerResponse, pathname: string, file: string | null): Promise<void> {
  const headers = {
    ...ISOLATION,
    'Content-Security-Policy': isDocumentPath(pathname) ? DOCUMENT_CSP_HEADER : WORKER_CSP_HEADER,
    'Cache-Control': 'no-cache',
  };
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
  });
  createReadStream(file).pipe(response);
}

export async function startBuildServer(folder: string): Promise<BuildServer> {
  let root = resolve(folder);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    return send(response, pathname, within(root, path));
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, ISOLATION);
      response.end(String(error));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    deploy(next) {
      root = resolve(next);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
