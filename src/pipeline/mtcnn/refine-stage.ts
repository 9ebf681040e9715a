/**
 * Stages 2 and 3 (R-Net refine, O-Net output). Both cut every candidate box out of the detection
 * image as one batch of patches (batched cropAndResize by default), run the network on the whole
 * batch, read the outputs back in one transfer, then filter, suppress and regress the boxes in
 * TypeScript.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_SPECS } from '../../models/specs.ts';
import { firstRows, padBatch } from '../batch-buckets.ts';
import { type CropNetName, localShare, type NetOffload } from '../offload.ts';
import {
  boxCount,
  clipWindows,
  cropWindows,
  nonMaxSuppression,
  regressBoxes,
  selectRows,
  squareBoxes,
} from './boxes.ts';
import type { DetectorConfig } from './config.ts';
import type { ScoredBoxes } from './pnet-stage.ts';
import type { ImageSampler } from './sampler.ts';

/** A refinement network's static facts: what it reads and what one output row holds. */
export interface CropNetSpec {
  readonly name: CropNetName;
  readonly outputNodes: readonly string[];
  /** Values per crop over all outputs, concatenated in outputNodes order. */
  readonly rowWidth: number;
  /** Square input side. */
  readonly inputSize: number;
  /**
   * Crops per network call. A photo at the 3072 px cap can yield 10 000+ P-Net candidates; R-Net's
   * first activation is 22 × 22 × 28 floats (54 kB) per crop, O-Net's 46 × 46 × 32 (270 kB), so the
   * batches below bound the peak at ~110 MB and ~140 MB. Typical photos fit in one batch.
   */
  readonly batchSize: number;
  /**
   * Fewest crops worth sending half of to a second engine (offload.ts): below it the round trip
   * (~1 ms) costs about what the halved network time saves (measured on WASM: R-Net ~0.2 ms per
   * crop, O-Net ~1.2 ms).
   */
  readonly minOffloadRows: number;
}

/** R-Net row: [background, face, dx1, dy1, dx2, dy2]. */
export const RNET: CropNetSpec = {
  name: 'rnet',
  outputNodes: [MODEL_SPECS.rnet.outputs.prob, MODEL_SPECS.rnet.outputs.box],
  rowWidth: 6,
  inputSize: 24,
  batchSize: 2048,
  minOffloadRows: 32,
};

/** O-Net row: [background, face, dx1, dy1, dx2, dy2, x0..x4, y0..y4] (landmarks in box units). */
export const ONET: CropNetSpec = {
  name: 'onet',
  outputNodes: [
    MODEL_SPECS.onet.outputs.prob,
    MODEL_SPECS.onet.outputs.box,
    MODEL_SPECS.onet.outputs.landmarks,
  ],
  rowWidth: 16,
  inputSize: 48,
  batchSize: 512,
  minOffloadRows: 6,
};

export const CROP_NETS: Readonly<Record<CropNetName, CropNetSpec>> = { rnet: RNET, onet: ONET };
const ONET_LANDMARKS_COLUMN = 6;

/** O-Net's result: boxes, scores and 5 landmarks per face as [x0, y0, x1, y1, …, x4, y4] rows. */
export interface FaceCandidates extends ScoredBoxes {
  readonly landmarks: Float32Array;
}

/**
 * `model` on normalised `[N, S, S, 3]` crops: N rows of `spec.rowWidth` values (all outputs side by
 * side). Call inside tf.tidy.
 */
export function cropNetRows(model: GraphModel, spec: CropNetSpec, crops: tf.Tensor4D): tf.Tensor2D {
  // Padded to a bucket on WebGL, so other candidate counts reuse the compiled programs.
  const outputs = model.execute(padBatch(crops), [...spec.outputNodes]) as tf.Tensor2D[];
  return firstRows(tf.concat(outputs, 1), crops.shape[0]);
}

/**
 * `model` on the crops of `windows` (rows [from, to)), here: rows of `spec.rowWidth` values in
 * window order, one network call per `spec.batchSize` crops and one read.
 */
async function rowsHere(
  model: GraphModel,
  spec: CropNetSpec,
  sampler: ImageSampler,
  windows: Float32Array,
  from: number,
  to: number,
): Promise<Float32Array> {
  const { rowWidth, inputSize, batchSize } = spec;
  const count = to - from;
  const order = new Int32Array(count);
  const packed = tf.tidy(() => {
    const parts: tf.Tensor2D[] = [];
    // Bounded batches keep the activations of thousands of candidates (large photos) within memory;
    // each batch's crops and activations are freed before the next, and all outputs are read at once.
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      parts.push(
        tf.tidy(() => {
          const crops = sampler.patches(windows.subarray(4 * (from + start), 4 * (from + end)), inputSize);
          for (const [row, box] of crops.order.entries()) order[start + row] = start + box;
          return cropNetRows(model, spec, crops.patches);
        }),
      );
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts);
  });
  const grouped = (await packed.data()) as Float32Array;
  packed.dispose();
  if (grouped.length !== count * rowWidth) throw new Error(`expected ${rowWidth} output values per crop`);
  // Patches may come grouped by sampling density; put the rows back in window order.
  const rows = new Float32Array(grouped.length);
  for (const [row, box] of order.entries()) {
    rows.set(grouped.subarray(row * rowWidth, (row + 1) * rowWidth), box * rowWidth);
  }
  return rows;
}

/**
 * Crops every box (zero padded where it leaves the image, or stretched with borderCrops 'stretch'),
 * runs `model` on the whole batch, reads the outputs back in one transfer and returns them as one
 * row of `spec.rowWidth` values per box, in the order of `boxes`. With a second engine that has the
 * net (offload.ts), the second half of a large enough batch runs there meanwhile.
 */
export async function classifyCrops(
  model: GraphModel,
  spec: CropNetSpec,
  sampler: ImageSampler,
  boxes: Float32Array,
  borderCrops: DetectorConfig['borderCrops'],
  offload?: NetOffload,
): Promise<Float32Array> {
  const { rowWidth, inputSize } = spec;
  const padded = cropWindows(boxes);
  const windows = borderCrops === 'stretch' ? clipWindows(padded, sampler.width, sampler.height) : padded;
  const count = boxes.length / 4;
  const host = sampler.host;
  if (offload === undefined || host === null || !offload.has(spec.name)) {
    return rowsHere(model, spec, sampler, windows, 0, count);
  }
  const here = localShare(count, spec.minOffloadRows);
  if (here === count) return rowsHere(model, spec, sampler, windows, 0, count);
  const sentCount = count - here;
  const there = offload
    .crops(spec.name, {
      values: host.patches(windows.subarray(4 * here), inputSize),
      shape: [sentCount, inputSize, inputSize, 3],
    })
    .catch(() => null);
  const rows = new Float32Array(count * rowWidth);
  rows.set(await rowsHere(model, spec, sampler, windows, 0, here));
  // A failed second engine costs time, never a result: its rows are computed here instead.
  const sent = (await there) ?? (await rowsHere(model, spec, sampler, windows, here, count));
  if (sent.length !== sentCount * rowWidth) throw new Error(`expected ${rowWidth} output values per crop`);
  rows.set(sent, here * rowWidth);
  return rows;
}

/** Columns [start, start + count) of the given rows of a row-major table `width` wide. */
function takeColumns(
  table: Float32Array,
  width: number,
  start: number,
  count: number,
  rows: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(rows.length * count);
  for (let k = 0; k < rows.length; k++) {
    const from = (rows[k] as number) * width + start;
    out.set(table.subarray(from, from + count), k * count);
  }
  return out;
}

/** Indices of rows whose column `column` is strictly above `threshold` (R-/O-Net use '>'). */
function rowsAbove(table: Float32Array, width: number, column: number, threshold: number): Int32Array {
  const pass: number[] = [];
  for (let i = 0, n = table.length / width; i < n; i++) {
    if ((table[i * width + column] as number) > threshold) pass.push(i);
  }
  return Int32Array.from(pass);
}

const EMPTY: FaceCandidates = {
  boxes: new Float32Array(0),
  scores: new Float32Array(0),
  landmarks: new Float32Array(0),
};

/** Stage 2: R-Net score filter, NMS (IoU), regression, squaring. */
export async function refineFaces(
  rnet: GraphModel,
  sampler: ImageSampler,
  proposals: ScoredBoxes,
  config: DetectorConfig,
  offload?: NetOffload,
): Promise<ScoredBoxes> {
  if (boxCount(proposals.boxes) === 0) return EMPTY;
  const table = await classifyCrops(rnet, RNET, sampler, proposals.boxes, config.borderCrops, offload);
  const pass = rowsAbove(table, RNET.rowWidth, 1, config.thresholds[1]);
  const boxes = selectRows(proposals.boxes, 4, pass);
  const scores = takeColumns(table, RNET.rowWidth, 1, 1, pass);
  const offsets = takeColumns(table, RNET.rowWidth, 2, 4, pass);
  const keep = nonMaxSuppression(boxes, scores, config.nmsThresholds.rnet, {
    mode: 'union',
    inclusive: false,
  });
  const regressed = regressBoxes(selectRows(boxes, 4, keep), selectRows(offsets, 4, keep), true);
  return { boxes: squareBoxes(regressed), scores: selectRows(scores, 1, keep) };
}

/**
 * Landmarks in detection-image pixels from O-Net's box-relative outputs, measured against the box
 * O-Net saw (before its regression): x = (x2 − x1 + 1) · lx + x1 − 1, as in the reference.
 */
function landmarksInPixels(boxes: Float32Array, relative: Float32Array): Float32Array {
  const out = new Float32Array(relative.length);
  for (let i = 0; i < boxes.length / 4; i++) {
    const x1 = boxes[4 * i] as number;
    const y1 = boxes[4 * i + 1] as number;
    const w = (boxes[4 * i + 2] as number) - x1 + 1;
    const h = (boxes[4 * i + 3] as number) - y1 + 1;
    for (let p = 0; p < 5; p++) {
      out[10 * i + 2 * p] = w * (relative[10 * i + p] as number) + x1 - 1;
      out[10 * i + 2 * p + 1] = h * (relative[10 * i + 5 + p] as number) + y1 - 1;
    }
  }
  return out;
}

/** Stage 3: O-Net score filter, landmarks, regression, NMS by "Min" overlap. */
export async function outputFaces(
  onet: GraphModel,
  sampler: ImageSampler,
  refined: ScoredBoxes,
  config: DetectorConfig,
  offload?: NetOffload,
): Promise<FaceCandidates> {
  if (boxCount(refined.boxes) === 0) return EMPTY;
  const table = await classifyCrops(onet, ONET, sampler, refined.boxes, config.borderCrops, offload);
  const width = ONET.rowWidth;
  const pass = rowsAbove(table, width, 1, config.thresholds[2]);
  const boxes = selectRows(refined.boxes, 4, pass);
  const scores = takeColumns(table, width, 1, 1, pass);
  const points = landmarksInPixels(boxes, takeColumns(table, width, ONET_LANDMARKS_COLUMN, 10, pass));
  const regressed = regressBoxes(boxes, takeColumns(table, width, 2, 4, pass), true);
  const keep = nonMaxSuppression(regressed, scores, config.nmsThresholds.onet, {
    mode: 'min',
    inclusive: true,
  });
  return {
    boxes: selectRows(regressed, 4, keep),
    scores: selectRows(scores, 1, keep),
    landmarks: selectRows(points, 10, keep),
  };
}
