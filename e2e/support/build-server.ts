/**
 * A static server for a built FaceCheck folder that the test can re-point at another folder
 * ("deploy a new release") while pages are open. It sends what `vite preview` sends in the e2e
 * suite (vite.config.ts, src/pwa/build/csp-plugin.ts): COOP/COEP on every response, the page's CSP
 * on documents and the worker's CSP on everything else. Every response says `no-cache`, so the
 * browser always revalidates and sees a deployment at once. 127.0.0.1 only, on a free port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { ISOLATION_HEADERS, listenLocally, sendFile, within } from '../../scripts/http/static-files.ts';
import { isDocumentPath } from '../../src/pwa/build/csp-plugin.ts';
import { DOCUMENT_CSP_HEADER, WORKER_CSP_HEADER } from '../../src/pwa/csp.ts';

export interface BuildServer {
  readonly origin: string;
  /** From the next request on, serves `folder` instead (requests already answered are not redone). */
  deploy(folder: string): void;
  close(): Promise<void>;
}

function send(response: ServerResponse, pathname: string, file: string | null): Promise<void> {
  return sendFile(response, file, {
    ...ISOLATION_HEADERS,
    'Content-Security-Policy': isDocumentPath(pathname) ? DOCUMENT_CSP_HEADER : WORKER_CSP_HEADER,
    'Cache-Control': 'no-cache',
  });
}

export async function startBuildServer(folder: string): Promise<BuildServer> {
  let root = resolve(folder);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    return send(response, pathname, within(root, path));
  };
  const server = await listenLocally(handle, ISOLATION_HEADERS);
  return {
    origin: server.origin,
    deploy(next) {
      root = resolve(next);
    },
    close: server.close,
  };
}
