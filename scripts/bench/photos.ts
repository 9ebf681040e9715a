/**
 * The benchmark photos: ../shared/data/faces/{groups, people, bbt}, read with fs. Interleaved one
 * per category in turn, so `--photos N` gets group shots, large portraits and small crops alike.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const facesDir = resolve(projectRoot, '../shared/data/faces');
export const PHOTO_CATEGORIES = ['groups', 'people', 'bbt'] as const;
export type PhotoCategory = (typeof PHOTO_CATEGORIES)[number];

export const SHARED_MISSING = `../shared/data/faces not found at ${facesDir}: the benchmark needs its photos (groups, people, bbt)`;
export const hasPhotos = () => PHOTO_CATEGORIES.every((c) => existsSync(join(facesDir, c)));

export interface BenchPhoto {
  /** Path relative to ../shared/data/faces, e.g. "groups/bbt1.jpg". */
  readonly name: string;
  readonly path: string;
}

const IMAGE = /\.(jpe?g|png|webp|gif|bmp)$/i;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested
    .flat()
    .filter((f) => IMAGE.test(f))
    .sort();
}

/** Round-robin over the categories' sorted files, first `limit` (all when null). */
export async function listPhotos(
  limit: number | null,
  categories: readonly PhotoCategory[] = PHOTO_CATEGORIES,
): Promise<BenchPhoto[]> {
  const lists = await Promise.all(categories.map((c) => filesUnder(join(facesDir, c))));
  const interleaved: string[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++) {
    for (const list of lists) if (i < list.length) interleaved.push(list[i] as string);
  }
  const chosen = limit === null ? interleaved : interleaved.slice(0, limit);
  return chosen.map((path) => ({ name: relative(facesDir, path), path }));
}

export interface LoadedPhoto extends BenchPhoto {
  readonly bytes: Uint8Array;
}

export async function readPhotos(photos: readonly BenchPhoto[]): Promise<LoadedPhoto[]> {
  return Promise.all(photos.map(async (p) => ({ ...p, bytes: new Uint8Array(await readFile(p.path)) })));
}
