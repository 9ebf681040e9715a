/**
 * 1:N identification against a gallery of named people, each with one or more embeddings. Every
 * probe is scored against the whole gallery with ONE matrix product; the per-person minimum and the
 * top-k people come from tensor ops; one device→host read.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DistanceMetric } from '../models/specs.ts';
import { distanceMatrixTensor, toMatrix } from './distance.ts';

export interface GalleryPerson {
  readonly name: string;
  /** At least one embedding (people without any are ignored). */
  readonly embeddings: readonly Float32Array[];
}

export interface IdentifyOptions {
  readonly metric: DistanceMetric;
  /** A probe whose nearest person is farther than this is unknown. */
  readonly threshold: number;
  /** People to list per probe, nearest first. Default 3. */
  readonly topK?: number;
}

export interface PersonMatch {
  readonly name: string;
  /** Distance to that person's closest embedding. */
  readonly distance: number;
  /** Index (in the person's `embeddings`) of that closest embedding. */
  readonly sample: number;
}

export interface Identification {
  /** The nearest person when within the threshold, else null ("unknown"). */
  readonly match: PersonMatch | null;
  /** Display label: the person's name or 'unknown'. */
  readonly label: string;
  /** Up to topK nearest people, ascending distance (whether or not within the threshold). */
  readonly candidates: readonly PersonMatch[];
}

/** Invalid (padding) gallery slots get this added so they never win. */
const FAR = 1e9;

export async function identify(
  probes: readonly Float32Array[],
  gallery: readonly GalleryPerson[],
  options: IdentifyOptions,
): Promise<Identification[]> {
  const people = gallery.filter((p) => p.embeddings.length > 0);
  if (probes.length === 0) return [];
  if (people.length === 0) return probes.map(() => ({ match: null, label: 'unknown', candidates: [] }));
  const dim = probes[0]?.length ?? 0;
  const m = people.length;
  const slots = Math.max(...people.map((p) => p.embeddings.length));
  const k = Math.min(Math.max(1, Math.floor(options.topK ?? 3)), m);
  // Gallery as [m · slots, dim], person-major, zero rows (masked) where a person has fewer samples.
  const flat = new Float32Array(m * slots * dim);
  const penalty = new Float32Array(m * slots).fill(FAR);
  people.forEach((person, i) => {
    person.embeddings.forEach((e, j) => {
      if (e.length !== dim)
        throw new Error(`${person.name}: embedding ${j} has ${e.length} values, expected ${dim}`);
      flat.set(e, (i * slots + j) * dim);
      penalty[i * slots + j] = 0;
    });
  });
  const packed = tf.tidy(() => {
    const d = distanceMatrixTensor(
      toMatrix(probes, dim),
      tf.tensor2d(flat, [m * slots, dim]),
      options.metric,
    );
    const masked = tf.reshape(tf.add(d, tf.tensor1d(penalty)), [probes.length, m, slots]);
    const perPerson = tf.min(masked, 2); // [P, m]
    const sample = tf.argMin(masked, 2); // [P, m]
    const { values, indices } = tf.topk(tf.neg(perPerson), k);
    // sample[p, indices[p, j]] via flat indices: tfjs-backend-wasm 4.22's gather with batchDims = 1
    // reads wrong rows (garbage from the 2nd batch on), so no batchDims here.
    const rowOffsets = tf.reshape(
      tf.mul(tf.range(0, probes.length, 1, 'int32'), tf.scalar(m, 'int32')),
      [-1, 1],
    );
    const samples = tf.gather(tf.reshape(sample, [-1]), tf.add(indices, rowOffsets)); // [P, k]
    return tf.concat([tf.neg(values), tf.cast(indices, 'float32'), tf.cast(samples, 'float32')], 1);
  });
  let data: Float32Array;
  try {
    data = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  return probes.map((_, p) => {
    const base = p * 3 * k;
    const candidates: PersonMatch[] = [];
    for (let j = 0; j < k; j++) {
      const person = people[data[base + k + j] as number] as GalleryPerson;
      candidates.push({
        name: person.name,
        distance: data[base + j] as number,
        sample: data[base + 2 * k + j] as number,
      });
    }
    const best = candidates[0];
    const match = best !== undefined && best.distance <= options.threshold ? best : null;
    return { match, label: match === null ? 'unknown' : match.name, candidates };
  });
}
