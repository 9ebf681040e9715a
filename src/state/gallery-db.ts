/**
 * The opt-in copy of the gallery in this browser's IndexedDB. Nothing is written unless the user
 * clicks "Save gallery"; looking for a saved copy never creates the database, so a visitor who never
 * saves leaves no trace. What is saved is the gallery file (names + embeddings + model id, no images).
 */
import { openDB } from 'idb';
import { isAnyEmbedderId } from '../models/embedder-facts.ts';
import type { AnyEmbedderId } from '../models/embedders.ts';
import { type GalleryFile, parseGalleryFile } from './gallery-file.ts';

const DB_NAME = 'facecheck';
const DB_VERSION = 1;
const STORE = 'gallery';
const KEY = 'current';

export interface SavedGalleryInfo {
  readonly model: AnyEmbedderId;
  readonly people: number;
  readonly savedAt: string;
}

const open = () =>
  openDB(DB_NAME, DB_VERSION, {
    upgrade(db) {
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
    },
  });

/** True when the database exists; `indexedDB.open` would create it, `databases()` does not. */
async function databaseExists(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true; // cannot tell without opening
  return (await indexedDB.databases()).some((db) => db.name === DB_NAME);
}

export async function saveGallery(file: GalleryFile): Promise<SavedGalleryInfo> {
  const db = await open();
  try {
    await db.put(STORE, file, KEY);
  } finally {
    db.close();
  }
  return { model: file.model, people: file.people.length, savedAt: file.savedAt };
}

async function readRaw(): Promise<unknown> {
  if (!(await databaseExists())) return undefined;
  const db = await open();
  try {
    return await db.get(STORE, KEY);
  } finally {
    db.close();
  }
}

/** What is saved, without loading it; null when nothing is. */
export async function peekSavedGallery(): Promise<SavedGalleryInfo | null> {
  const raw = (await readRaw()) as Partial<GalleryFile> | undefined;
  // A copy naming no model this FaceCheck knows is not offered (loading it would be refused anyway).
  if (raw === undefined || typeof raw.model !== 'string' || !isAnyEmbedderId(raw.model)) return null;
  if (!Array.isArray(raw.people)) return null;
  return { model: raw.model, people: raw.people.length, savedAt: String(raw.savedAt ?? '') };
}

/** The saved gallery validated for `model` (a copy saved with another model is refused, with why). */
export async function loadSavedGallery(model: AnyEmbedderId) {
  const raw = await readRaw();
  if (raw === undefined) return { ok: false as const, message: 'No gallery is saved in this browser.' };
  return parseGalleryFile(raw, model);
}

/** Removes the saved copy and the database itself. */
export async function forgetSavedGallery(): Promise<void> {
  if (!(await databaseExists())) return;
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Another tab holding the database open delays deletion; it completes once that tab closes it.
    request.onblocked = () => resolve();
  });
}
