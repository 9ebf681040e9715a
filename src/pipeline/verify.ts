/**
 * Verification (1:1 against a reference person): faces of one or more reference photos against
 * every face of every test photo. Each test face gets its distance to the nearest reference face
 * and a verdict at the threshold; each test photo a summary — verified / not verified / no face /
 * error — like the original Python recipe. All distances come from one matrix product.
 */
import type { DistanceMetric } from '../models/specs.ts';
import { nearestNeighbours } from './distance.ts';

export type Box = readonly [number, number, number, number];

/** The part of an analysed face verification needs. */
export interface EmbeddedFace {
  readonly box: Box;
  readonly embedding: Float32Array;
}

/** One photo after the pipeline: its faces, or why it could not be analysed. */
export interface PhotoFaces {
  readonly name: string;
  readonly faces: readonly EmbeddedFace[];
  /** Set when the photo could not be read or analysed; `faces` is then empty. */
  readonly error?: string;
}

/** Which faces of a reference photo represent the person. */
export type ReferenceFaceMode = 'largest' | 'all';

export interface VerifyOptions {
  readonly metric: DistanceMetric;
  readonly threshold: number;
  /** Default 'largest'. */
  readonly referenceFaces?: ReferenceFaceMode;
}

export interface ReferenceFace {
  readonly photo: string;
  /** Index of the face in that photo's `faces`. */
  readonly face: number;
  readonly box: Box;
}

export interface VerifiedFace {
  /** Index of the face in the photo's `faces`. */
  readonly face: number;
  readonly box: Box;
  /** Distance to the nearest reference face. */
  readonly distance: number;
  /** Index into the report's `references`. */
  readonly reference: number;
  readonly verified: boolean;
}

export type PhotoVerdict = 'verified' | 'not-verified' | 'no-face' | 'error';

export interface PhotoVerification {
  readonly name: string;
  readonly verdict: PhotoVerdict;
  readonly faces: readonly VerifiedFace[];
  /** Smallest face distance in the photo (null without faces). */
  readonly bestDistance: number | null;
  readonly error?: string;
}

export interface VerificationReport {
  readonly metric: DistanceMetric;
  readonly threshold: number;
  readonly referenceFaces: ReferenceFaceMode;
  readonly references: readonly ReferenceFace[];
  /** Reference photos that contributed no face, with the reason. */
  readonly unusableReferences: readonly { readonly photo: string; readonly reason: string }[];
  readonly photos: readonly PhotoVerification[];
  readonly summary: {
    readonly verified: readonly string[];
    readonly notVerified: readonly string[];
    readonly noFace: readonly string[];
    readonly errors: readonly string[];
  };
}

const area = ([x1, y1, x2, y2]: Box) => Math.max(0, x2 - x1) * Math.max(0, y2 - y1);

/** Index of the largest face by box area (first on ties), or -1. */
export function largestFace(faces: readonly { readonly box: Box }[]): number {
  let best = -1;
  let bestArea = -1;
  faces.forEach((f, i) => {
    const a = area(f.box);
    if (a > bestArea) {
      best = i;
      bestArea = a;
    }
  });
  return best;
}

export class NoReferenceFaceError extends Error {
  constructor(readonly unusable: readonly { readonly photo: string; readonly reason: string }[]) {
    super(
      `no usable face in any reference photo (${unusable.map((u) => `${u.photo}: ${u.reason}`).join('; ')})`,
    );
    this.name = 'NoReferenceFaceError';
  }
}

export async function verifyPhotos(
  referencePhotos: readonly PhotoFaces[],
  photos: readonly PhotoFaces[],
  options: VerifyOptions,
): Promise<VerificationReport> {
  const mode = options.referenceFaces ?? 'largest';
  const references: ReferenceFace[] = [];
  const referenceEmbeddings: Float32Array[] = [];
  const unusableReferences: { photo: string; reason: string }[] = [];
  for (const ref of referencePhotos) {
    if (ref.error !== undefined) {
      unusableReferences.push({ photo: ref.name, reason: ref.error });
      continue;
    }
    if (ref.faces.length === 0) {
      unusableReferences.push({ photo: ref.name, reason: 'no face found' });
      continue;
    }
    const chosen = mode === 'all' ? ref.faces.map((_, i) => i) : [largestFace(ref.faces)];
    for (const i of chosen) {
      const face = ref.faces[i] as EmbeddedFace;
      references.push({ photo: ref.name, face: i, box: face.box });
      referenceEmbeddings.push(face.embedding);
    }
  }
  if (references.length === 0) throw new NoReferenceFaceError(unusableReferences);

  const probes = photos.flatMap((p) => p.faces.map((f) => f.embedding));
  const nearest = await nearestNeighbours(probes, referenceEmbeddings, options.metric, 1);
  let next = 0;
  const results: PhotoVerification[] = photos.map((photo) => {
    if (photo.error !== undefined) {
      return { name: photo.name, verdict: 'error', faces: [], bestDistance: null, error: photo.error };
    }
    const faces: VerifiedFace[] = photo.faces.map((face, i) => {
      const nn = nearest[next++]?.[0];
      if (nn === undefined) throw new Error('internal: missing distance');
      return {
        face: i,
        box: face.box,
        distance: nn.distance,
        reference: nn.index,
        verified: nn.distance <= options.threshold,
      };
    });
    if (faces.length === 0) return { name: photo.name, verdict: 'no-face', faces, bestDistance: null };
    const bestDistance = Math.min(...faces.map((f) => f.distance));
    return {
      name: photo.name,
      verdict: faces.some((f) => f.verified) ? 'verified' : 'not-verified',
      faces,
      bestDistance,
    };
  });
  const named = (v: PhotoVerdict) => results.filter((r) => r.verdict === v).map((r) => r.name);
  return {
    metric: options.metric,
    threshold: options.threshold,
    referenceFaces: mode,
    references,
    unusableReferences,
    photos: results,
    summary: {
      verified: named('verified'),
      notVerified: named('not-verified'),
      noFace: named('no-face'),
      errors: named('error'),
    },
  };
}
