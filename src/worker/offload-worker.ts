/**
 * The second engine's worker (docs/offload.md): its own tfjs on the backend the main engine chose,
 * its own copy of MTCNN's nets and MobileFaceNet, and nothing else. The main engine's worker starts
 * it (offload-client.ts) and sends it plain arrays; it never sees a photo, only network inputs.
 */
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { expose, transfer } from 'comlink';
import { EMBEDDER_SPECS, type EmbedderId } from '../models/embedders.ts';
import { embedderFromGraph } from '../pipeline/embedders/create.ts';
import type { Embedder } from '../pipeline/embedders/embedder.ts';
import { loadGraphModel } from '../pipeline/models/load-model.ts';
import { verifiedReader } from '../pipeline/models/verified-reader.ts';
import type { OffloadNet } from '../pipeline/offload.ts';
import { createOffloadRunner } from '../pipeline/offload-runner.ts';
import type { BackendName } from './api.ts';
import { startBackend } from './backend.ts';
import { createFetchReader, readModelIndex } from './model-store.ts';
import { type OffloadWorkerApi, ownedArray } from './offload-protocol.ts';

const sendBack = (values: Float32Array) => {
  const result = ownedArray(values);
  return transfer(result, [result.buffer]);
};

function createOffloadWorker(): OffloadWorkerApi {
  let runner: ReturnType<typeof createOffloadRunner> | null = null;
  const loaded: GraphModel[] = [];
  const embedders = new Map<EmbedderId, Embedder>();
  const ready = () => {
    if (runner === null) throw new Error('the second engine has not started');
    return runner;
  };
  return {
    async start(backend: BackendName, modelsUrl: string, embedderIds: readonly EmbedderId[]) {
      await startBackend(backend);
      const read = createFetchReader(modelsUrl);
      const readListed = verifiedReader(read, await readModelIndex(read));
      const load = async (id: Parameters<typeof loadGraphModel>[0]) => {
        const model = await loadGraphModel(id, readListed);
        loaded.push(model);
        return model;
      };
      const pnet = await load('pnet');
      const rnet = await load('rnet');
      const onet = await load('onet');
      for (const id of embedderIds) {
        embedders.set(id, embedderFromGraph(id, await load(EMBEDDER_SPECS[id].modelId)));
      }
      runner = createOffloadRunner({ pnet, rnet, onet, embedders });
      return ['pnet', 'rnet', 'onet', ...embedders.keys()] satisfies OffloadNet[];
    },
    async pnet(levels) {
      const outputs = (await ready().pnet(levels)).map((o) => ({
        ...o,
        probabilities: ownedArray(o.probabilities),
        offsets: ownedArray(o.offsets),
      }));
      return transfer(
        outputs,
        outputs.flatMap((o) => [o.probabilities.buffer, o.offsets.buffer]),
      );
    },
    async crops(net, patches) {
      return sendBack(await ready().crops(net, patches));
    },
    async embed(id, faces) {
      return sendBack(await ready().embed(id, faces));
    },
    async tensors() {
      return tf.memory().numTensors;
    },
    async crashForTest() {
      // Thrown from a task of its own: an error inside a comlink call would only reject that call.
      setTimeout(() => {
        throw new Error('the second engine crashed (test)');
      });
    },
  };
}

expose(createOffloadWorker());
