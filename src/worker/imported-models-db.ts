/**
 * Models the user imported in this browser ("Add model…"), in their own IndexedDB database, apart from
 * the gallery's (src/state/gallery-db.ts): clearing one never touches the other. Written only when the
 * user imports a file; listing never creates the database, so a visitor who imports nothing leaves no
 * trace. Runs in the worker: the 50–100 MB of weights never cross to the page.
 */
import { type DBSchema, openDB } from 'idb';
import type { ImportedEmbedderId } from '../models/embedders.ts';
import type { VggfaceArtifactManifest } from '../pipeline/embedders/vggface/index.ts';
import type { ImportedModelInfo } from './imported-models-api.ts';

const DB_NAME = 'facecheck-imported-models';
const DB_VERSION = 1;

/** What the list shows, stored apart from the weights so listing reads a few bytes, not megabytes. */
type StoredInfo = Omit<ImportedModelInfo, 'origin'>;

interface StoredArtifacts {
  /** The model.json object (checked again by fromVggfaceArtifacts when read back). */
  readonly manifest: VggfaceArtifactManifest;
  readonly weightData: ArrayBuffer;
}

interface ImportedModelsSchema extends DBSchema {
  info: { key: ImportedEmbedderId; value: StoredInfo };
  artifacts: { key: ImportedEmbedderId; value: StoredArtifacts };
}

const open = () =>
  openDB<ImportedModelsSchema>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      if (!db.objectStoreNames.contains('info')) db.createObjectStore('info');
      if (!db.objectStoreNames.contains('artifacts')) db.createObjectStore('artifacts');
    },
  });

async function databaseExists(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true; // cannot tell without opening
  return (await indexedDB.databases()).some((db) => db.name === DB_NAME);
}

/** Both records in one transaction: a model is never listed without its weights. */
export async function storeImportedModel(info: StoredInfo, artifacts: StoredArtifacts): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction(['info', 'artifacts'], 'readwrite');
    await Promise.all([
      tx.objectStore('artifacts').put(artifacts, info.id),
      tx.objectStore('info').put(info, info.id),
      tx.done,
    ]);
  } finally {
    db.close();
  }
}

export async function listStoredModels(): Promise<StoredInfo[]> {
  if (!(await databaseExists())) return [];
  const db = await open();
  try {
    return await db.getAll('info');
  } finally {
    db.close();
  }
}

export async function readStoredArtifacts(id: ImportedEmbedderId): Promise<StoredArtifacts | null> {
  if (!(await databaseExists())) return null;
  const db = await open();
  try {
    return (await db.get('artifacts', id)) ?? null;
  } finally {
    db.close();
  }
}

export async function deleteStoredModel(id: ImportedEmbedderId): Promise<void> {
  if (!(await databaseExists())) return;
  const db = await open();
  try {
    const tx = db.transaction(['info', 'artifacts'], 'readwrite');
    await Promise.all([tx.objectStore('info').delete(id), tx.objectStore('artifacts').delete(id), tx.done]);
  } finally {
    db.close();
  }
}
