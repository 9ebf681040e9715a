/**
 * The real photos of ../shared/data/faces as Playwright file payloads, for specs that drop them into
 * the app. The folder is read-only and never copied into the project; specs skip with `missingFaces`
 * when it is absent.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FACES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/faces');

/** The skip message of a spec that needs the photos (`what`: e.g. "the verification e2e"). */
export const missingFaces = (what: string) =>
  `${FACES} not found: ${what} needs ../shared/data/faces beside the project`;

/** What `setInputFiles` takes for one file. */
export interface Payload {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/**
 * A photo under FACES (`path` relative to it). `name` overrides the file name the app sees, for
 * photos whose own names repeat across folders (aligned/<person>/000.png).
 */
export const photo = (path: string, name = path.split('/').pop() ?? path): Payload => ({
  name,
  mimeType: path.endsWith('.png') ? 'image/png' : 'image/jpeg',
  buffer: readFileSync(resolve(FACES, path)),
});
