/**
 * A photo the user added, and where it is in its life: each state carries exactly the data that
 * exists in it (a result only when done, a problem only when failed).
 */
import type { AnyEmbedderId } from '../models/embedders.ts';
import type { AnalyzedFace, PhotoProblem, PhotoTimings } from '../worker/api.ts';

/**
 * What a photo is for: the person to look for, a photo to check, a photo to identify against the
 * gallery, or a photo that enrols a gallery person.
 */
export type PhotoRole = 'reference' | 'test' | 'probe' | 'enrol';

export interface PhotoResult {
  readonly embedder: AnyEmbedderId;
  /** Size of the analysed (upright, possibly downscaled) image that boxes refer to. */
  readonly width: number;
  readonly height: number;
  /** Largest first. */
  readonly faces: readonly AnalyzedFace[];
  readonly timings: PhotoTimings;
}

export type PhotoStatus =
  | { readonly kind: 'queued' }
  | { readonly kind: 'decoding' }
  | { readonly kind: 'analyzing'; readonly stage: 'detecting' | 'embedding' }
  | { readonly kind: 'done'; readonly result: PhotoResult }
  | { readonly kind: 'failed'; readonly problem: PhotoProblem }
  /** Cancelled before its result arrived; can be queued again. */
  | { readonly kind: 'cancelled' };

export interface Photo {
  readonly id: string;
  /** File name, or the path inside a dropped folder. Rendered as text only. */
  readonly name: string;
  readonly role: PhotoRole;
  /** The gallery person an `enrol` photo belongs to; null for every other role. */
  readonly personId: string | null;
  readonly file: File;
  /** Object URL of `file` for thumbnails; revoked when the photo is removed. */
  readonly url: string;
  readonly status: PhotoStatus;
}

/** The public test contract's photo status (`data-status`); see src/ui/test-contract.ts. */
export type ContractStatus = 'done' | 'no-face' | 'error' | 'pending';

export function contractStatus(status: PhotoStatus): ContractStatus {
  switch (status.kind) {
    case 'done':
      return status.result.faces.length === 0 ? 'no-face' : 'done';
    case 'failed':
      return 'error';
    default:
      return 'pending';
  }
}

/** True while the photo waits for, or is in, the worker. */
export const isInFlight = (status: PhotoStatus) =>
  status.kind === 'queued' || status.kind === 'decoding' || status.kind === 'analyzing';

export const resultOf = (photo: Photo): PhotoResult | null =>
  photo.status.kind === 'done' ? photo.status.result : null;
