/**
 * The identification gallery's logic: named people, the face embeddings that enrol them, and 1:N
 * ranking (top 3, "Unknown" above the threshold). Pure functions; the session store holds the state.
 *
 * A person's samples are derived, not stored: each enrolment photo contributes its only face, or
 * the face the user picked when it has several. Switching the model re-analyses those photos, so
 * the samples follow without re-enrolling. Samples loaded from a file carry their model and count
 * only while that model is selected.
 */
import type { AnyEmbedderId } from '../models/embedders.ts';
import { type DistanceMetric, distance } from '../pipeline/vector-distance.ts';
import type { FaceCrop } from '../worker/api.ts';
import type { Photo } from './photo.ts';

/** An embedding that came from a gallery file rather than from a photo in this session. */
export interface StoredSample {
  readonly id: string;
  readonly model: AnyEmbedderId;
  readonly embedding: Float32Array;
}

export interface Person {
  readonly id: string;
  readonly name: string;
  /** Enrolment photos (role `enrol`), in the order added. */
  readonly photoIds: readonly string[];
  /** Face chosen per photo id, for photos with several faces. */
  readonly picks: Readonly<Record<string, number>>;
  readonly stored: readonly StoredSample[];
}

export interface GallerySample {
  readonly key: string;
  readonly embedding: Float32Array;
  /** Null for stored samples: gallery files hold no images. */
  readonly crop: FaceCrop | null;
  /** The enrolment photo's name, or "saved gallery". */
  readonly source: string;
}

export interface PersonSamples {
  readonly samples: GallerySample[];
  /** Analysed enrolment photos with several faces and no pick yet. */
  readonly needsPick: Photo[];
}

export function samplesOf(
  person: Person,
  photos: Readonly<Record<string, Photo>>,
  embedder: AnyEmbedderId,
): PersonSamples {
  const samples: GallerySample[] = [];
  const needsPick: Photo[] = [];
  for (const photoId of person.photoIds) {
    const photo = photos[photoId];
    if (photo === undefined || photo.status.kind !== 'done' || photo.status.result.embedder !== embedder)
      continue;
    const { faces } = photo.status.result;
    const pick = faces.length === 1 ? 0 : person.picks[photoId];
    if (pick === undefined) {
      if (faces.length > 1) needsPick.push(photo);
      continue;
    }
    const face = faces[pick];
    if (face !== undefined) {
      samples.push({
        key: `${photoId}:${pick}`,
        embedding: face.embedding,
        crop: face.crop,
        source: photo.name,
      });
    }
  }
  for (const s of person.stored) {
    if (s.model === embedder)
      samples.push({ key: s.id, embedding: s.embedding, crop: null, source: 'saved gallery' });
  }
  return { samples, needsPick };
}

export interface EnrolledPerson {
  readonly id: string;
  readonly name: string;
  readonly samples: readonly GallerySample[];
}

export interface PersonMatch {
  readonly personId: string;
  readonly name: string;
  /** Distance to the person's closest sample. */
  readonly distance: number;
}

/** The `k` nearest people (by their closest sample), ascending; people without samples are skipped. */
export function rankPeople(
  embedding: Float32Array,
  gallery: readonly EnrolledPerson[],
  metric: DistanceMetric,
  k = 3,
): PersonMatch[] {
  const ranked: PersonMatch[] = [];
  for (const person of gallery) {
    let best = Number.POSITIVE_INFINITY;
    for (const s of person.samples) best = Math.min(best, distance(embedding, s.embedding, metric));
    if (Number.isFinite(best)) ranked.push({ personId: person.id, name: person.name, distance: best });
  }
  return ranked.sort((a, b) => a.distance - b.distance).slice(0, Math.max(0, k));
}

export type Identification =
  | { readonly kind: 'known'; readonly match: PersonMatch; readonly candidates: readonly PersonMatch[] }
  /** Nearest person farther than the threshold, or an empty gallery (no candidates). */
  | { readonly kind: 'unknown'; readonly candidates: readonly PersonMatch[] };

/** Split from ranking so a threshold change re-labels without recomputing distances. */
export function labelAt(candidates: readonly PersonMatch[], threshold: number): Identification {
  const best = candidates[0];
  return best !== undefined && best.distance <= threshold
    ? { kind: 'known', match: best, candidates }
    : { kind: 'unknown', candidates };
}

// ---------------------------------------------------------------------------------------------
// Person list edits (pure; the session store applies them)

/** Names are trimmed, collapsed and capped, so a pasted paragraph cannot become a name. */
export const MAX_NAME_LENGTH = 80;

export function cleanName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export const renamePerson = (people: readonly Person[], id: string, name: string): Person[] =>
  people.map((p) => (p.id === id && cleanName(name) !== '' ? { ...p, name: cleanName(name) } : p));

export const pickFace = (
  people: readonly Person[],
  personId: string,
  photoId: string,
  face: number,
): Person[] => people.map((p) => (p.id === personId ? { ...p, picks: { ...p.picks, [photoId]: face } } : p));
