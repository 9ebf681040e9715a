/**
 * Serialises a converted graph as a standard TensorFlow.js GraphModel: model.json (topology +
 * weights manifest) and one binary shard. Weights that were float16 in the source are stored as
 * float16 (tfjs dequantises them at load); everything else is float32 / int32 little-endian.
 */
import type { ConvertedGraph } from './tflite-to-graph.ts';

export const SHARD_NAME = 'group1-shard1of1.bin';

interface ManifestEntry {
  name: string;
  shape: readonly number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16' };
}

export function serializeGraphModel(
  graph: ConvertedGraph,
  meta: { generatedBy: string; transposeSpatial: boolean },
): Map<string, Uint8Array> {
  const chunks: Uint8Array[] = [];
  const weights: ManifestEntry[] = [];
  for (const c of graph.builder.consts) {
    if (c.storeAsFloat16) {
      const half = new Uint16Array(c.data.length);
      for (let i = 0; i < c.data.length; i++) half[i] = floatToHalf(c.data[i] ?? 0);
      chunks.push(new Uint8Array(half.buffer));
      weights.push({ name: c.name, shape: c.shape, dtype: 'float32', quantization: { dtype: 'float16' } });
    } else {
      chunks.push(new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength));
      weights.push({ name: c.name, shape: c.shape, dtype: c.dtype });
    }
  }
  const shard = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    shard.set(c, offset);
    offset += c.length;
  }
  const modelJson = {
    format: 'graph-model',
    generatedBy: meta.generatedBy,
    convertedBy: 'FaceCheck scripts/models (tflite → tfjs graph)',
    modelTopology: { node: graph.builder.nodes, library: {}, versions: { producer: 1 } },
    userDefinedMetadata: {
      input: graph.inputName,
      outputs: graph.outputNames,
      transposeSpatialBaked: meta.transposeSpatial,
    },
    weightsManifest: [{ paths: [SHARD_NAME], weights }],
  };
  return new Map([
    ['model.json', new TextEncoder().encode(`${JSON.stringify(modelJson)}\n`)],
    [SHARD_NAME, shard],
  ]);
}

/** float → IEEE half, round to nearest even. Exact for values that came from float16. */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00 | (((bits >>> 23) & 0xff) === 0xff && mantissa ? 0x200 : 0);
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    const half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (exponent << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}
