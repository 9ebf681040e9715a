/**
 * The second engine's side of NetOffload (offload.ts): the networks run on whatever tfjs backend is
 * active where this is called, by the same functions as the local path, so both engines compute the
 * same values. Each call makes one upload per input and one read.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import type { EmbedderId } from '../models/embedders.ts';
import type { Embedder } from './embedders/embedder.ts';
import { normalise } from './mtcnn/input.ts';
import { pnetOnInputs } from './mtcnn/pnet-stage.ts';
import { CROP_NETS, cropNetRows } from './mtcnn/refine-stage.ts';
import type { CropNetName, HostBatch, NetOffload } from './offload.ts';

const tensorOf = ({ values, shape }: HostBatch): tf.Tensor4D => tf.tensor4d(values, [...shape]);

/** Reads a tensor and frees it. */
async function take(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** The networks a second engine runs, on whatever tfjs backend is active where it is called. */
export interface OffloadNets {
  readonly pnet: GraphModel;
  readonly rnet: GraphModel;
  readonly onet: GraphModel;
  readonly embedders: ReadonlyMap<EmbedderId, Embedder>;
}

export function createOffloadRunner(nets: OffloadNets): Omit<NetOffload, 'has'> {
  const models: Readonly<Record<CropNetName, GraphModel>> = { rnet: nets.rnet, onet: nets.onet };
  return {
    pnet: (levels) =>
      pnetOnInputs(
        nets.pnet,
        levels.map((level) => () => normalise(tensorOf(level))),
      ),
    async crops(net, patches) {
      const model = models[net];
      return take(tf.tidy(() => cropNetRows(model, CROP_NETS[net], normalise(tensorOf(patches)))));
    },
    async embed(id, faces) {
      const embedder = nets.embedders.get(id);
      if (embedder === undefined) throw new Error(`the second engine has no embedder "${id}"`);
      return take(tf.tidy(() => embedder.forward(tensorOf(faces))));
    },
  };
}
