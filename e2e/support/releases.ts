/**
 * Releases of the built app for the update e2e: a plain copy of the build ("what users have"), and
 * a next release made from it the way a real deployment would differ — a changed index.html (so a
 * new shell version), a new models/index.json version (so a new model cache), and its own sw.js
 * written by the build's service-worker plugin code for exactly those files.
 */
import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeServiceWorker } from '../../src/pwa/build/service-worker-plugin.ts';
import type { PrecacheManifest } from '../../src/pwa/precache-manifest.ts';

/** `<meta name=…>` the next release's index.html carries: the page can tell which release it runs. */
export const RELEASE_META = 'facecheck-test-release';

export async function copyRelease(build: string, into: string): Promise<void> {
  await cp(build, into, { recursive: true });
}

/**
 * Copies `build` into `into` as the next release, and returns its precache manifest (cache names).
 * `projectRoot` is where src/pwa/sw.ts is bundled from.
 */
export async function makeNextRelease(
  build: string,
  into: string,
  projectRoot: string,
): Promise<PrecacheManifest> {
  await copyRelease(build, into);

  const htmlPath = join(into, 'index.html');
  const html = await readFile(htmlPath, 'utf8');
  if (!html.includes('</head>')) throw new Error(`${htmlPath} has no </head>`);
  await writeFile(
    htmlPath,
    html.replace('</head>', `  <meta name="${RELEASE_META}" content="next" />\n  </head>`),
  );

  // The same model files under a new version: what a re-converted model set looks like to the
  // service worker, which keys the model cache by this version alone.
  const indexPath = join(into, 'models/index.json');
  const index = JSON.parse(await readFile(indexPath, 'utf8')) as { version: string };
  index.version = createHash('sha256').update(`${index.version}:next`).digest('hex').slice(0, 16);
  await writeFile(indexPath, `${JSON.stringify(index, null, 2)}\n`);

  return writeServiceWorker(into, {
    root: projectRoot,
    mode: 'production',
    warn(message) {
      throw new Error(`next release: ${message}`);
    },
  });
}
