/**
 * Checks every model file against public/models/index.json (written by `npm run models`) before a
 * loader sees it. tfjs notices a weight file that is too short, but one of the right length with
 * the wrong bytes loads silently and yields wrong faces and distances; a size and sha256 check
 * turns both into a ModelLoadError that names the model and the fix.
 */
import type { ModelIndex } from '../../models/specs.ts';
import type { ModelFileReader } from './load-model.ts';

const hex = (digest: ArrayBuffer) =>
  Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of `bytes` as hex; null where Web Crypto is missing (an insecure http: origin). */
async function sha256(bytes: ArrayBuffer): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  return subtle === undefined ? null : hex(await subtle.digest('SHA-256', bytes));
}

/**
 * Wraps `read` so that each `<model>/<file>` listed in `index` must have the listed size and sha256.
 * Files the index does not list (index.json itself) pass through unchecked.
 */
export function verifiedReader(read: ModelFileReader, index: ModelIndex): ModelFileReader {
  const listed = new Map<string, { readonly bytes: number; readonly sha256: string }>();
  for (const [id, model] of Object.entries(index.models))
    for (const file of model.files) listed.set(`${id}/${file.name}`, file);

  return async (path) => {
    const bytes = await read(path);
    const expected = listed.get(path);
    if (expected === undefined) return bytes;
    if (bytes.byteLength !== expected.bytes) {
      const how = bytes.byteLength < expected.bytes ? 'truncated' : 'too long';
      throw new Error(
        `${path} is ${bytes.byteLength} bytes but index.json lists ${expected.bytes}: the file is ${how}`,
      );
    }
    const actual = await sha256(bytes);
    if (actual !== null && actual !== expected.sha256)
      throw new Error(
        `${path} does not match index.json (sha256 ${actual.slice(0, 12)}…): the file is corrupt`,
      );
    return bytes;
  };
}

/**
 * A verified reader for callers that have not read index.json themselves (the CLI): reads it on the
 * first model file. A missing or unreadable index fails every load with its reason.
 */
export function indexVerifiedReader(read: ModelFileReader): ModelFileReader {
  let checked: Promise<ModelFileReader> | null = null;
  const open = async (): Promise<ModelFileReader> => {
    let index: ModelIndex;
    try {
      index = JSON.parse(new TextDecoder().decode(await read('index.json'))) as ModelIndex;
    } catch (error) {
      throw new Error(
        `public/models/index.json could not be read (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (typeof index.models !== 'object' || index.models === null)
      throw new Error('public/models/index.json lists no models');
    return verifiedReader(read, index);
  };
  return async (path) => {
    checked ??= open();
    return (await checked)(path);
  };
}
