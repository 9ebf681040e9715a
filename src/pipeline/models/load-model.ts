/**
 * Loads converted models from any byte source, so the same code serves the browser worker
 * (fetch / Cache Storage), Node tests and the CLI (file system).
 */
import { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_SPECS, type ModelId } from '../../models/specs.ts';

/** Returns the bytes of `public/models/<path>`. */
export type ModelFileReader = (path: string) => Promise<ArrayBuffer>;

/** Raised when a model file is missing or unreadable; names the model and the fix. */
export class ModelLoadError extends Error {
  constructor(
    readonly modelId: ModelId,
    cause: unknown,
  ) {
    super(
      `Model "${modelId}" could not be loaded (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Run `npm run models` to regenerate public/models.',
    );
    this.name = 'ModelLoadError';
  }
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

async function readWeights(
  id: ModelId,
  manifest: ManifestGroup[],
  read: ModelFileReader,
): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const buffers = await Promise.all(manifest.flatMap((g) => g.paths.map((p) => read(`${id}/${p}`))));
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    data.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return { specs: manifest.flatMap((g) => g.weights), data: data.buffer };
}

const decodeJson = (bytes: ArrayBuffer) => JSON.parse(new TextDecoder().decode(bytes));

/** A converted .tflite graph as a tfjs GraphModel. The caller owns it and must dispose() it. */
export async function loadGraphModel(id: ModelId, read: ModelFileReader): Promise<GraphModel> {
  try {
    const json = decodeJson(await read(`${id}/model.json`));
    const { specs, data } = await readWeights(id, json.weightsManifest, read);
    const model = new GraphModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: data,
        format: json.format,
      }),
    );
    await model.load();
    return model;
  } catch (error) {
    throw new ModelLoadError(id, error);
  }
}

/** Weights for a network written as code (face-api.js style): name → tensor. Caller disposes. */
export async function loadWeightMap(id: ModelId, read: ModelFileReader): Promise<tf.NamedTensorMap> {
  try {
    const manifest: ManifestGroup[] = decodeJson(await read(`${id}/weights_manifest.json`));
    const { specs, data } = await readWeights(id, manifest, read);
    return tf.io.decodeWeights(data, specs);
  } catch (error) {
    throw new ModelLoadError(id, error);
  }
}

/** Output node names of a converted graph, by role. */
export function outputsOf<Id extends 'pnet' | 'rnet' | 'onet' | 'mobilefacenet' | 'antispoof'>(
  id: Id,
): (typeof MODEL_SPECS)[Id]['outputs'] {
  return MODEL_SPECS[id].outputs;
}
