/**
 * The bench page's HTTP server, on 127.0.0.1 only and a free port: the built page, FaceCheck's
 * models (public/models), face-api's weights (its package's model/ folder) and the photos (from
 * memory). Every response carries COOP/COEP, so the page is cross-origin isolated and tfjs can use
 * WASM threads; everything is same-origin, so `require-corp` blocks nothing.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { LoadedPhoto } from './photos.ts';
import { projectRoot } from './photos.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface BenchServer {
  readonly origin: string;
  /** URL of photo `index` (its name rides along in the query for the page's reports). */
  photoUrl(index: number): string;
  close(): Promise<void>;
}

/** `root` + the request path, or null when the path escapes `root`. */
function within(root: string, path: string): string | null {
  const full = normalize(join(root, decodeURIComponent(path)));
  return full === root || full.startsWith(root + sep) ? full : null;
}

async function sendFile(response: ServerResponse, file: string | null): Promise<void> {
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) {
    response.writeHead(404, { ...ISOLATION, 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  response.writeHead(200, {
    ...ISOLATION,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Models and hashed assets may come from the HTTP cache on later page loads ("from cache" runs);
    // the page itself is always revalidated.
    'Cache-Control': extname(file) === '.html' ? 'no-cache' : 'max-age=3600',
  });
  createReadStream(file).pipe(response);
}

export async function startBenchServer(
  pageDir: string,
  photos: readonly LoadedPhoto[],
): Promise<BenchServer> {
  const mounts: readonly (readonly [prefix: string, dir: string])[] = [
    ['/models/', resolve(projectRoot, 'public/models')],
    ['/faceapi-models/', resolve(projectRoot, 'node_modules/@vladmandic/face-api/model')],
    ['/', resolve(pageDir)],
  ];
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const photo = /^\/photos\/(\d+)$/.exec(url.pathname);
    if (photo !== null) {
      const bytes = photos[Number(photo[1])]?.bytes;
      if (bytes === undefined) return sendFile(response, null);
      response.writeHead(200, {
        ...ISOLATION,
        'Content-Type': 'application/octet-stream',
        'Content-Length': bytes.length,
      });
      response.end(bytes);
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p)) ?? ['/', pageDir];
    return sendFile(response, within(dir, path.slice(prefix.length)));
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
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    photoUrl: (index) => `${origin}/photos/${index}?name=${encodeURIComponent(photos[index]?.name ?? '')}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
