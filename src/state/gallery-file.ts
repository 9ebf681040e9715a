/**
 * The versioned gallery file — names, embeddings and the model id, never images — shared by gallery
 * export/import and the opt-in IndexedDB copy. Parsing validates everything an untrusted file could
 * get wrong, with a plain-English reason for each refusal.
 */
import { EMBEDDER_SPECS, type EmbedderId, isEmbedderId } from '../models/embedders.ts';
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
  readonly model: EmbedderId;
  readonly dim: number;
  readonly savedAt: string;
  readonly people: readonly { readonly name: string; readonly embeddings: readonly (readonly number[])[] }[];
}

export function toGalleryFile(
  gallery: readonly EnrolledPerson[],
  model: EmbedderId,
  now: Date = new Date(),
): GalleryFile {
  return {
    format: GALLERY_FORMAT,
    version: GALLERY_VERSION,
    model,
    dim: EMBEDDER_SPECS[model].dim,
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
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Validates a gallery file (already JSON-parsed, or text) for use with `model`. Every refusal says
 * what is wrong in plain words; a file made with another model is refused, since its embeddings
 * cannot be compared with this model's.
 */
export function parseGalleryFile(input: unknown, model: EmbedderId): GalleryParse {
  let data: unknown = input;
  if (typeof input === 'string') {
    if (input.length > MAX_GALLERY_FILE_BYTES)
      return refuse('This gallery file is too large to be a FaceCheck gallery.');
    try {
      data = JSON.parse(input);
    } catch {
      return refuse('This file is not a FaceCheck gallery (it is not valid JSON).');
    }
  }
  if (!isRecord(data) || data.format !== GALLERY_FORMAT)
    return refuse('This file is not a FaceCheck gallery.');
  if (data.version !== GALLERY_VERSION) {
    return refuse(
      `This gallery file has version ${String(data.version)}; this FaceCheck reads version ${GALLERY_VERSION}.`,
    );
  }
  if (typeof data.model !== 'string' || !isEmbedderId(data.model)) {
    return refuse('This gallery was made with a face model this FaceCheck does not have.');
  }
  if (data.model !== model) {
    return refuse(
      `This gallery was made with ${EMBEDDER_SPECS[data.model].title.split(' (')[0]}, but ${EMBEDDER_SPECS[model].title.split(' (')[0]} is selected. Switch the model, then import it again: embeddings of different models cannot be compared.`,
    );
  }
  const dim = EMBEDDER_SPECS[model].dim;
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
    const valid = embeddings.every(
      (e): e is number[] =>
        Array.isArray(e) && e.length === dim && e.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
    if (!valid) return refuse(`Person ${i + 1} has an embedding that is not ${dim} finite numbers.`);
    people.push({ name: cleanName(person.name), embeddings: embeddings as number[][] });
  }
  const savedAt = typeof data.savedAt === 'string' ? data.savedAt : '';
  return {
    ok: true,
    file: { format: GALLERY_FORMAT, version: GALLERY_VERSION, model, dim, savedAt, people },
  };
}
