/**
 * The warm-up (src/pipeline/warm-up.ts) runs every stage once on the real nets — on both engines
 * when there are two, since each has its own one-time costs — and leaves nothing behind. What it
 * saves the first photo is measured by the benchmark, not here (docs/benchmarks.md, "Warm-up").
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import { type CascadeNets, faceDetectorFromNets } from '../../src/pipeline/mtcnn/index.ts';
import type { NetOffload } from '../../src/pipeline/offload.ts';
import { createOffloadRunner } from '../../src/pipeline/offload-runner.ts';
import { warmUp } from '../../src/pipeline/warm-up.ts';
import { inProcessOffload, loadCascadeAndMobileFaceNet, useWasm } from './helpers.ts';

describe('the warm-up pass', () => {
  let nets: CascadeNets;
  let embedder: Embedder;
  let runner: Omit<NetOffload, 'has'>;
  beforeAll(async () => {
    await useWasm();
    ({ nets, embedder } = await loadCascadeAndMobileFaceNet());
    runner = createOffloadRunner({ ...nets, embedders: new Map([['mobilefacenet', embedder]]) });
  });
  afterAll(() => {
    for (const net of Object.values(nets ?? {})) net.dispose();
    embedder?.dispose();
  });

  it('embeds two faces through every stage and leaves no tensor behind', async () => {
    const detector = faceDetectorFromNets(nets);
    const before = tf.memory().numTensors;
    const report = await warmUp(detector, embedder);
    expect(report.faces).toBe(2);
    expect(report.ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sends the second engine a piece of every net, so it warms up too', async () => {
    const offload = inProcessOffload(runner);
    const detector = faceDetectorFromNets(nets, {}, offload);
    const before = tf.memory().numTensors;
    await warmUp(detector, embedder, { offload });
    expect(offload.calls).toEqual({ pnet: 1, rnet: 1, onet: 1, embed: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
