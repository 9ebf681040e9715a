/**
 * The bench page's HTTP server, on 127.0.0.1 only and a free port: the built page, FaceCheck's
 * models (public/models), face-api's weights (its package's model/ folder) and the photos (from
 * memory). Every response carries COOP/COEP, so the page is cross-origin isolated and tfjs can use
 * WASM threads; everything is same-origin, so `require-corp` blocks nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve } from 'node:path';
import { ISOLATION_HEADERS, listenLocally, sendFile as sendStatic, within } from '../http/static-files.ts';
import type { LoadedPhoto } from './photos.ts';
import { projectRoot } from './photos.ts';

const ISOLATION = { ...ISOLATION_HEADERS, 'Cross-Origin-Resource-Policy': 'same-origin' };

export interface BenchServer {
  readonly origin: string;
  /** URL of photo `index` (its name rides along in the query for the page's reports). */
  photoUrl(index: number): string;
  close(): Promise<void>;
}

function sendFile(response: ServerResponse, file: string | null): Promise<void> {
  return sendStatic(response, file, {
    ...ISOLATION,
    // Models and hashed assets may come from the HTTP cache on later page loads ("from cache" runs);
    // the page itself is always revalidated.
    'Cache-Control': file !== null && extname(file) === '.html' ? 'no-cache' : 'max-age=3600',
  });
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
  const server = await listenLocally(handle, ISOLATION);
  const { origin } = server;
  return {
    origin,
    photoUrl: (index) => `${origin}/photos/${index}?name=${encodeURIComponent(photos[index]?.name ?? '')}`,
    close: server.close,
  };
}
