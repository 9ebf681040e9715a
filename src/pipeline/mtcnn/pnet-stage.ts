/**
 * Stage 1 (P-Net, proposal): run the fully convolutional P-Net on every pyramid level, read all
 * levels back in one transfer, turn confident output cells into boxes, suppress duplicates within and
 * across levels, regress and square them.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_SPECS } from '../../models/specs.ts';
import { type BoxList, nonMaxSuppression, regressBoxes, selectRows, squareBoxes } from './boxes.ts';
import type { DetectorConfig } from './config.ts';
import { PNET_CELL, PNET_STRIDE, type PyramidLevel } from './pyramid.ts';
import type { ImageSampler } from './sampler.ts';

const { prob: PROB_NODE, box: BOX_NODE } = MODEL_SPECS.pnet.outputs;

/** P-Net's outputs for one pyramid level, as read back from the device. */
export interface LevelOutput {
  readonly level: PyramidLevel;
  readonly rows: number;
  readonly cols: number;
  /** rows · cols pairs [background, face] of softmax probabilities, row-major. */
  readonly probabilities: Float32Array;
  /** rows · cols · 4 box offsets [dx1, dy1, dx2, dy2], row-major. */
  readonly offsets: Float32Array;
}

/** Boxes (rows of [x1, y1, x2, y2]) with their scores, row-aligned. */
export interface ScoredBoxes {
  readonly boxes: BoxList;
  readonly scores: Float32Array;
}

/**
 * Runs P-Net on every level and returns the outputs. All levels are computed before the single
 * device→host read, so an asynchronous backend (WebGL) is not stalled once per level. The outputs
 * are flattened as they are (no slicing out the face channel, no interleaving): on WASM a channel
 * slice copies the whole tensor and a channel concat runs element by element in JavaScript, which
 * cost ~30 ms on a 600 px level; 1-D pieces are concatenated with plain copies.
 */
export async function runPnet(
  pnet: GraphModel,
  sampler: ImageSampler,
  levels: readonly PyramidLevel[],
): Promise<LevelOutput[]> {
  const shapes: Array<[number, number]> = [];
  const packed = tf.tidy(() => {
    // One inner tidy per level frees its resized image and activations before the next level runs;
    // only the small per-cell outputs stay on the device until the single read below.
    const perLevel = levels.flatMap((level) =>
      tf.tidy(() => {
        const input = sampler.level(level.height, level.width);
        const [prob, box] = pnet.execute(input, [PROB_NODE, BOX_NODE]) as tf.Tensor4D[];
        if (prob === undefined || box === undefined)
          throw new Error('P-Net returned fewer outputs than expected');
        const [, rows = 0, cols = 0] = prob.shape;
        shapes.push([rows, cols]);
        return [tf.reshape(prob, [-1]), tf.reshape(box, [-1])];
      }),
    );
    return tf.concat(perLevel);
  });
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  let offset = 0;
  const take = (size: number) => {
    const part = values.subarray(offset, offset + size);
    offset += size;
    return part;
  };
  return levels.map((level, i) => {
    const [rows, cols] = shapes[i] ?? [0, 0];
    const probabilities = take(rows * cols * 2);
    return { level, rows, cols, probabilities, offsets: take(rows * cols * 4) };
  });
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
): Promise<ScoredBoxes> {
  return proposalsFromLevels(await runPnet(pnet, sampler, levels), config);
}
