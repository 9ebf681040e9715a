/**
 * The bad-input corpus (tests/corpus/make-corpus.ts) written to a temporary folder, so Playwright can
 * hand the files to the page by path (setInputFiles refuses in-memory buffers over 50 MB, and the
 * corpus holds a 64 MB file), and each file's expected outcome in the browser.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CorpusFile, type Expected, makeCorpus } from '../../tests/corpus/make-corpus.ts';

export interface CorpusDir {
  readonly dir: string;
  readonly files: readonly (CorpusFile & { readonly path: string })[];
  remove(): Promise<void>;
}

export async function writeCorpus(facesDir: string | null): Promise<CorpusDir> {
  const corpus = await makeCorpus({ facesDir });
  const dir = await mkdtemp(join(tmpdir(), 'facecheck-e2e-corpus-'));
  const files = corpus.map((f) => ({ ...f, path: join(dir, f.name) }));
  await Promise.all(files.map((f) => writeFile(f.path, f.bytes)));
  return { dir, files, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type { CorpusFile, Expected };
