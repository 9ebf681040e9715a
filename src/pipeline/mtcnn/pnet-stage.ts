/**
 * Stage 1 (P-Net, proposal): run the fully convolutional P-Net on every pyramid level, read all
 * levels back in one transfer, turn confident output cells into boxes, suppress duplicates within and
 * across levels, regress and square them.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_SPECS } from '../../models/specs.ts';
import { type NetOffload, splitWork } from '../offload.ts';
import { type BoxList, nonMaxSuppression, regressBoxes, selectRows, squareBoxes } from './boxes.ts';
import type { DetectorConfig } from './config.ts';
import { PNET_CELL, PNET_STRIDE, type PyramidLevel } from './pyramid.ts';
import type { ImageSampler } from './sampler.ts';

const { prob: PROB_NODE, box: BOX_NODE } = MODEL_SPECS.pnet.outputs;

/** P-Net's outputs for one input, as read back from the device. */
export interface PnetOutput {
  readonly rows: number;
  readonly cols: number;
  /** rows · cols pairs [background, face] of softmax probabilities, row-major. */
  readonly probabilities: Float32Array;
  /** rows · cols · 4 box offsets [dx1, dy1, dx2, dy2], row-major. */
  readonly offsets: Float32Array;
}

/** P-Net's outputs for one pyramid level. */
export interface LevelOutput extends PnetOutput {
  readonly level: PyramidLevel;
}

/** Boxes (rows of [x1, y1, x2, y2]) with their scores, row-aligned. */
export interface ScoredBoxes {
  readonly boxes: BoxList;
  readonly scores: Float32Array;
}

/**
 * P-Net on one normalised `[1, H, W, 3]` level: its output grid and the outputs flattened as they are
 * (probabilities, then box offsets). No slicing out the face channel, no interleaving: on WASM a
 * channel slice copies the whole tensor and a channel concat runs element by element in JavaScript,
 * which cost ~30 ms on a 600 px level; 1-D pieces are concatenated with plain copies. Call inside
 * tf.tidy.
 */
function pnetLevelOutputs(
  pnet: GraphModel,
  input: tf.Tensor4D,
): { rows: number; cols: number; packed: tf.Tensor1D } {
  const [prob, box] = pnet.execute(input, [PROB_NODE, BOX_NODE]) as tf.Tensor4D[];
  if (prob === undefined || box === undefined) throw new Error('P-Net returned fewer outputs than expected');
  const [, rows = 0, cols = 0] = prob.shape;
  return { rows, cols, packed: tf.concat([tf.reshape(prob, [-1]), tf.reshape(box, [-1])]) as tf.Tensor1D };
}

/**
 * P-Net on every input (normalised `[1, H, W, 3]` levels, made on demand), computed before the single
 * device→host read, so an asynchronous backend (WebGL) is not stalled once per level. One inner tidy
 * per input frees its image and activations before the next runs; only the small per-cell outputs
 * stay on the device until the read. The outputs are views into one buffer.
 */
export async function pnetOnInputs(
  pnet: GraphModel,
  inputs: ReadonlyArray<() => tf.Tensor4D>,
): Promise<PnetOutput[]> {
  if (inputs.length === 0) return [];
  const shapes: Array<[number, number]> = [];
  const packed = tf.tidy(() =>
    tf.concat(
      inputs.map((input) =>
        tf.tidy(() => {
          const { rows, cols, packed: outputs } = pnetLevelOutputs(pnet, input());
          shapes.push([rows, cols]);
          return outputs;
        }),
      ),
    ),
  );
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  let offset = 0;
  const part = (size: number) => {
    const piece = values.subarray(offset, offset + size);
    offset += size;
    return piece;
  };
  return shapes.map(([rows, cols]) => ({
    rows,
    cols,
    probabilities: part(rows * cols * 2),
    offsets: part(rows * cols * 4),
  }));
}

/**
 * Sends the levels `splitWork` picks to the second engine, when there is one that has P-Net and the
 * levels are resampled on the host; null when nothing is sent. `outputs` resolves to null when the
 * call failed.
 */
function sendLevels(
  sampler: ImageSampler,
  levels: readonly PyramidLevel[],
  offload: NetOffload | undefined,
): { sent: readonly boolean[]; outputs: Promise<PnetOutput[] | null> } | null {
  const host = sampler.host;
  if (offload === undefined || host === null || levels.length < 2 || !offload.has('pnet')) return null;
  const sent = splitWork(levels.map((l) => l.height * l.width));
  const batches = levels
    .filter((_, i) => sent[i])
    .map((l) => ({ values: host.level(l.height, l.width), shape: [1, l.height, l.width, 3] as const }));
  return { sent, outputs: offload.pnet(batches).catch(() => null) };
}

/**
 * Runs P-Net on every level and returns the outputs, level by level. With a second engine, part of
 * the levels (about half the pixels) runs there while this engine runs the rest.
 */
export async function runPnet(
  pnet: GraphModel,
  sampler: ImageSampler,
  levels: readonly PyramidLevel[],
  offload?: NetOffload,
): Promise<LevelOutput[]> {
  const away = sendLevels(sampler, levels, offload);
  const isHere = (_: PyramidLevel, i: number) => away?.sent[i] !== true;
  const inputOf = (level: PyramidLevel) => () => sampler.level(level.height, level.width);
  const here = await pnetOnInputs(pnet, levels.filter(isHere).map(inputOf));
  const sentLevels = levels.filter((l, i) => !isHere(l, i));
  // A failed second engine costs time, never a result: its levels are run here instead.
  const there = (await away?.outputs) ?? (await pnetOnInputs(pnet, sentLevels.map(inputOf)));
  const outputs: LevelOutput[] = [];
  let h = 0;
  let t = 0;
  for (const [i, level] of levels.entries()) {
    const output = isHere(level, i) ? here[h++] : there[t++];
    if (output === undefined) throw new Error('P-Net returned fewer levels than it was given');
    outputs.push({ ...output, level });
  }
  return outputs;
}

/**
 * Boxes of every cell with face probability ≥ threshold, in detection-image pixels: cell (x, y)
 * covers level pixels [2x, 2x + 12), i.e. 1-based [2x + 1, 2x + 12], divided by the level's scale.
 * The division is done in float32 like the reference, so boxes land on the same integer pixels.
 */
export function cellsToBoxes(
  output: LevelOutput,
  threshold: number,
): ScoredBoxes & { offsets: Float32Array } {
  const { rows, cols, level, probabilities, offsets: cellOffsets } = output;
  const scale = Math.fround(level.scale);
  const boxes: number[] = [];
  const scores: number[] = [];
  const offsets: number[] = [];
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const cell = y * cols + x;
      // Channel 1 of the softmax is the face probability (channel 0 is background).
      const score = probabilities[2 * cell + 1] as number;
      if (!(score >= threshold)) continue;
      const edge = (pixel: number) => Math.floor(Math.fround(pixel / scale));
      boxes.push(
        edge(PNET_STRIDE * x + 1),
        edge(PNET_STRIDE * y + 1),
        edge(PNET_STRIDE * x + PNET_CELL),
        edge(PNET_STRIDE * y + PNET_CELL),
      );
      scores.push(score);
      offsets.push(
        cellOffsets[4 * cell] as number,
        cellOffsets[4 * cell + 1] as number,
        cellOffsets[4 * cell + 2] as number,
        cellOffsets[4 * cell + 3] as number,
      );
    }
  }
  return {
    boxes: Float32Array.from(boxes),
    scores: Float32Array.from(scores),
    offsets: Float32Array.from(offsets),
  };
}

/** Concatenates row-aligned typed arrays. */
function concatArrays(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Stage 1 box logic: per-level threshold and NMS, cross-level NMS, at most `maxProposals` survivors,
 * regression, squaring. NMS uses IoU without the +1 and the regression uses x2 − x1, as the reference
 * (torchvision NMS) does.
 */
export function proposalsFromLevels(outputs: readonly LevelOutput[], config: DetectorConfig): ScoredBoxes {
  const union = { mode: 'union', inclusive: false } as const;
  const kept = outputs.map((output) => {
    const candidates = cellsToBoxes(output, config.thresholds[0]);
    const keep = nonMaxSuppression(candidates.boxes, candidates.scores, config.nmsThresholds.perScale, union);
    return {
      boxes: selectRows(candidates.boxes, 4, keep),
      scores: selectRows(candidates.scores, 1, keep),
      offsets: selectRows(candidates.offsets, 4, keep),
    };
  });
  const boxes = concatArrays(kept.map((k) => k.boxes));
  const scores = concatArrays(kept.map((k) => k.scores));
  const offsets = concatArrays(kept.map((k) => k.offsets));
  // NMS returns the survivors highest score first, so the cap keeps the most face-like windows.
  const survivors = nonMaxSuppression(boxes, scores, config.nmsThresholds.crossScale, union);
  const keep =
    survivors.length > config.maxProposals ? survivors.subarray(0, config.maxProposals) : survivors;
  const regressed = regressBoxes(selectRows(boxes, 4, keep), selectRows(offsets, 4, keep), false);
  return { boxes: squareBoxes(regressed), scores: selectRows(scores, 1, keep) };
}

/** Stage 1 end to end: P-Net proposals (squared boxes, detection-image pixels). */
export async function proposeFaces(
  pnet: GraphModel,
  sampler: ImageSampler,
  levels: readonly PyramidLevel[],
  config: DetectorConfig,
  offload?: NetOffload,
): Promise<ScoredBoxes> {
  return proposalsFromLevels(await runPnet(pnet, sampler, levels, offload), config);
}
