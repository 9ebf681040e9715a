/** File-system helpers for the CLI and scripts: image discovery, identity folders, model reading. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelFileReader } from '../pipeline/models/load-model.ts';

export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.bmp',
]);

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Reads `public/models/<path>` (or `<modelsDir>/<path>`). FACECHECK_MODELS_DIR overrides the default
 * folder (tests point it at a damaged copy).
 */
export function modelFileReader(
  modelsDir = process.env.FACECHECK_MODELS_DIR ?? join(projectRoot, 'public/models'),
): ModelFileReader {
  return async (path) => {
    const bytes = await readFile(join(modelsDir, path));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** Natural order: img2 before img10. */
export const naturalCompare = (a: string, b: string) => collator.compare(a, b);

export const isImagePath = (p: string) => IMAGE_EXTENSIONS.has(extname(p).toLowerCase());

/**
 * Expands arguments into image paths: files are kept as given (even with unknown extensions, so
 * the decoder can report them), directories contribute their images (non-recursive, natural order).
 * Missing paths are kept too: the caller reports them per file.
 */
export async function expandImageArgs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(arg)).filter(isImagePath).sort(naturalCompare);
      out.push(...names.map((n) => join(arg, n)));
    } else {
      out.push(arg);
    }
  }
  return out;
}

export interface IdentityFolder {
  readonly name: string;
  readonly files: readonly string[];
}

/** `root/<name>/<images>` → one entry per sub-folder with at least one image, natural order. */
export async function listIdentityFolders(root: string): Promise<IdentityFolder[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders: IdentityFolder[] = [];
  for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => naturalCompare(a.name, b.name))) {
    const files = (await readdir(join(root, e.name))).filter(isImagePath).sort(naturalCompare);
    if (files.length > 0) folders.push({ name: e.name, files: files.map((f) => join(root, e.name, f)) });
  }
  return folders;
}
