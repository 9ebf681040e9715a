/** Builders for state tests: photos and faces with hand-made embeddings (no models, no DOM). */
import type { AnyEmbedderId } from '../models/embedders.ts';
import type { AnalyzedFace } from '../worker/api.ts';
import type { Photo, PhotoResult, PhotoRole, PhotoStatus } from './photo.ts';

/** A unit vector in `dim` dimensions pointing at `angle` radians in the plane of axes 0 and 1. */
export function unitAt(angle: number, dim = 4): Float32Array {
  const v = new Float32Array(dim);
  v[0] = Math.cos(angle);
  v[1] = Math.sin(angle);
  return v;
}

export function face(
  embedding: Float32Array,
  box: [number, number, number, number] = [0, 0, 10, 10],
): AnalyzedFace {
  return {
    box,
    score: 0.99,
    landmarks: [
      [3, 3],
      [7, 3],
      [5, 5],
      [3, 7],
      [7, 7],
    ],
    embedding,
    crop: { width: 1, height: 1, rgba: new Uint8ClampedArray(4) },
  };
}

export function result(faces: AnalyzedFace[], embedder: AnyEmbedderId = 'mobilefacenet'): PhotoResult {
  return {
    embedder,
    width: 100,
    height: 80,
    faces,
    timings: { decodeMs: 1, detectMs: 2, embedMs: 3, totalMs: 6 },
  };
}

export function photo(id: string, role: PhotoRole, status: PhotoStatus, name = `${id}.jpg`): Photo {
  return { id, name, role, personId: null, file: new File([], name), url: `blob:${id}`, status };
}

export const done = (r: PhotoResult): PhotoStatus => ({ kind: 'done', result: r });
