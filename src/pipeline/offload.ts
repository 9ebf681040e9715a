/**
 * A second engine for one photo's independent work: another worker with its own tfjs and its own
 * copy of the networks, so pyramid levels, part of R-/O-Net's crops and part of the faces to embed
 * run on a second core while this engine works on the rest. tfjs-wasm runs every kernel on one
 * thread on a 2-core machine (it gives XNNPACK half the logical cores), so without this the other
 * core idles while a photo is analysed. See docs/offload.md.
 *
 * The pipeline sees only `NetOffload`: plain arrays in, plain arrays out, no tensors. The pipeline
 * decides what to send; a call that rejects is redone locally, so a second engine can only change
 * how fast a photo is analysed, never its result. The other side, what the second engine runs, is
 * offload-runner.ts.
 */
import type { EmbedderId } from '../models/embedders.ts';
import type { PnetOutput } from './mtcnn/pnet-stage.ts';

/** Host values of a `[N, H, W, C]` batch, row-major. */
export interface HostBatch {
  readonly values: Float32Array;
  readonly shape: readonly [n: number, height: number, width: number, channels: number];
}

/** What a second engine can run: the detector's three networks and shipped embedders. */
export type OffloadNet = 'pnet' | 'rnet' | 'onet' | EmbedderId;

export type CropNetName = 'rnet' | 'onet';

export interface NetOffload {
  /**
   * Whether the other engine can run `net` now: false until it has loaded it, and for good after
   * one of its calls failed.
   */
  has(net: OffloadNet): boolean;
  /** P-Net on each pyramid level (`[1, H, W, 3]` pixel values 0..255, normalised there). */
  pnet(levels: readonly HostBatch[]): Promise<PnetOutput[]>;
  /** R- or O-Net on `[N, S, S, 3]` patches (pixel values): N rows of the net's `CropNetSpec.rowWidth`. */
  crops(net: CropNetName, patches: HostBatch): Promise<Float32Array>;
  /** Embeddings `[N × dim]` of `[N, size, size, 3]` aligned faces (pixel values 0..255). */
  embed(embedder: EmbedderId, faces: HostBatch): Promise<Float32Array>;
}

/**
 * Which items to send away so both engines finish together: greedy over the items by cost, largest
 * first, each to the side with less work so far (ties stay here).
 */
export function splitWork(costs: readonly number[]): boolean[] {
  const remote = costs.map(() => false);
  let here = 0;
  let away = 0;
  const order = costs.map((_, i) => i).sort((a, b) => (costs[b] as number) - (costs[a] as number));
  for (const i of order) {
    const cost = costs[i] as number;
    if (away < here) {
      remote[i] = true;
      away += cost;
    } else {
      here += cost;
    }
  }
  return remote;
}

/**
 * How many of `count` rows (crops or faces) to keep here: the first ⌈count / 2⌉, or all of them when
 * the batch is smaller than `minRows` (then a round trip would cost more than the halved work saves).
 */
export function localShare(count: number, minRows: number): number {
  return count < minRows ? count : Math.ceil(count / 2);
}
