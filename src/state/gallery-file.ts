/**
 * The versioned gallery file — names, embeddings and the model id, never images — shared by gallery
 * export/import and the opt-in IndexedDB copy. Parsing validates everything an untrusted file could
 * get wrong, with a plain-English reason for each refusal.
 */
import { embedderFacts, isAnyEmbedderId } from '../models/embedder-facts.ts';
import { type AnyEmbedderId, EMBEDDER_SPECS } from '../models/embedders.ts';
import { cleanName, type EnrolledPerson } from './gallery.ts';

export const GALLERY_FORMAT = 'facecheck-gallery';
export const GALLERY_VERSION = 1;
/** A 1,000-person gallery with 10 samples of 192 floats is ~25 MB as JSON; refuse more unread. */
export const MAX_GALLERY_FILE_BYTES = 32 * 1024 * 1024;
const MAX_PEOPLE = 1000;
const MAX_SAMPLES_PER_PERSON = 100;

export interface GalleryFile {
  readonly format: typeof GALLERY_FORMAT;
  readonly version: typeof GALLERY_VERSION;
  readonly model: AnyEmbedderId;
  readonly dim: number;
  readonly savedAt: string;
  readonly people: readonly { readonly name: string; readonly embeddings: readonly (readonly number[])[] }[];
}

export function toGalleryFile(
  gallery: readonly EnrolledPerson[],
  model: AnyEmbedderId,
  now: Date = new Date(),
): GalleryFile {
  return {
    format: GALLERY_FORMAT,
    version: GALLERY_VERSION,
    model,
    dim: embedderFacts(model).dim,
    savedAt: now.toISOString(),
    people: gallery
      .filter((p) => p.samples.length > 0)
      .map((p) => ({ name: p.name, embeddings: p.samples.map((s) => Array.from(s.embedding)) })),
  };
}

export type GalleryParse =
  | { readonly ok: true; readonly file: GalleryFile }
  | { readonly ok: false; readonly message: string };

const refuse = (message: string): GalleryParse => ({ ok: false, message });
const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const tooLarge = (bytes: number) =>
  refuse(
    `This file is ${megabytes(bytes)}; a FaceCheck gallery is at most ${megabytes(MAX_GALLERY_FILE_BYTES)} (about 1,000 people). Choose a gallery file exported by FaceCheck.`,
  );
/** JSON has no NaN or Infinity: a file with them as bare words was not written by FaceCheck. */
const NON_FINITE_WORD = /[[,:]\s*-?(NaN|Infinity)\b/;
/** Echoes at most this much of a value from the file in a message (shown as text, never markup). */
const quoted = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Validates a gallery file (already JSON-parsed, or text) for use with `model`. Every refusal says
 * what is wrong in plain words; a file made with another model is refused, since its embeddings
 * cannot be compared with this model's.
 */
export function parseGalleryFile(input: unknown, model: AnyEmbedderId): GalleryParse {
  let data: unknown = input;
  if (typeof input === 'string') {
    // Characters, not bytes: a cheap upper bound that still refuses before parsing anything huge.
    if (input.length > MAX_GALLERY_FILE_BYTES) return tooLarge(input.length);
    try {
      data = JSON.parse(input);
    } catch {
      return refuse(
        NON_FINITE_WORD.test(input)
          ? 'This file is not a FaceCheck gallery: it contains NaN or Infinity, which are not numbers an embedding can hold.'
          : 'This file is not a FaceCheck gallery (it is not valid JSON).',
      );
    }
  }
  if (!isRecord(data) || data.format !== GALLERY_FORMAT)
    return refuse('This file is not a FaceCheck gallery.');
  if (data.version !== GALLERY_VERSION) {
    return refuse(
      `This gallery file has version ${String(data.version)}; this FaceCheck reads version ${GALLERY_VERSION}.`,
    );
  }
  if (typeof data.model !== 'string' || !isAnyEmbedderId(data.model)) {
    const known = Object.values(EMBEDDER_SPECS)
      .map((spec) => spec.title.split(' (')[0])
      .join(', ');
    const which = typeof data.model === 'string' ? ` (${quoted(data.model)})` : '';
    return refuse(
      `This gallery was made with a face model this FaceCheck does not have${which}. It has: ${known}.`,
    );
  }
  if (data.model !== model) {
    return refuse(
      `This gallery was made with ${embedderFacts(data.model).name}, but ${embedderFacts(model).name} is selected. Switch the model, then import it again: embeddings of different models cannot be compared.`,
    );
  }
  const dim = embedderFacts(model).dim;
  if (data.dim !== dim)
    return refuse(`This gallery's embeddings have ${String(data.dim)} values; the model uses ${dim}.`);
  if (!Array.isArray(data.people) || data.people.length > MAX_PEOPLE) {
    return refuse(`A gallery holds a list of at most ${MAX_PEOPLE} people; this file does not.`);
  }
  const people: { name: string; embeddings: number[][] }[] = [];
  for (const [i, person] of data.people.entries()) {
    if (!isRecord(person) || typeof person.name !== 'string' || cleanName(person.name) === '') {
      return refuse(`Person ${i + 1} in this gallery has no name.`);
    }
    const { embeddings } = person;
    if (!Array.isArray(embeddings) || embeddings.length === 0 || embeddings.length > MAX_SAMPLES_PER_PERSON) {
      return refuse(`Person ${i + 1} needs between 1 and ${MAX_SAMPLES_PER_PERSON} embeddings.`);
    }
    for (const [j, e] of embeddings.entries()) {
      const where = `Embedding ${j + 1} of person ${i + 1}`;
      if (!Array.isArray(e)) return refuse(`${where} is not a list of numbers.`);
      if (e.length !== dim)
        return refuse(`${where} has ${e.length} values; the model's embeddings have ${dim}.`);
      // 1e999 parses to Infinity, and a structured-clone copy (IndexedDB) can hold NaN.
      if (!e.every((v) => typeof v === 'number' && Number.isFinite(v)))
        return refuse(`${where} holds a value that is not a finite number (NaN, Infinity or text).`);
    }
    people.push({ name: cleanName(person.name), embeddings: embeddings as number[][] });
  }
  const savedAt = typeof data.savedAt === 'string' ? data.savedAt.slice(0, 64) : '';
  return {
    ok: true,
    file: { format: GALLERY_FORMAT, version: GALLERY_VERSION, model, dim, savedAt, people },
  };
}

/**
 * Reads and validates a gallery file the user chose. The size is checked from `file.size` first, so
 * a 200 MB file is refused without reading a byte of it.
 */
export async function readGalleryFile(
  file: Pick<Blob, 'size' | 'text'>,
  model: AnyEmbedderId,
): Promise<GalleryParse> {
  if (file.size > MAX_GALLERY_FILE_BYTES) return tooLarge(file.size);
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refuse(
      `This file could not be read (${reason}). Check that it still exists, then import it again.`,
    );
  }
  return parseGalleryFile(text, model);
}
