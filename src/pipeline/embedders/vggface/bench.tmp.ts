import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { createParams, embedBatch, weightedLayers, type VggfaceArchitecture, type WeightTensor } from './architectures';

const P = 67108859, A = 48271, B = 1000003, C = 12345, D = 69069, E = 7654321;
function u(k: number, i: number) { let x = (i * A + k * B + C) % P; x = ((x * x) % P) * x % P; x = (x * D + E) % P; x = ((x * x) % P) * x % P; return x / P - 0.5; }
function gen(arch: VggfaceArchitecture) {
  const m = new Map<string, WeightTensor>(); let k = 0;
  for (const l of weightedLayers(arch)) for (const w of l.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1); const out = new Float32Array(n);
    const gain = l.name === 'conv1_1' || l.name === 'conv1/7x7_s2' ? 2 ** -7 : l.name.endsWith('_1x1_increase') ? 0.25 : 1;
    const s = w.role === 'kernel' ? Math.sqrt(24 / w.shape.slice(0, -1).reduce((a, b) => a * b, 1)) : 0;
    for (let i = 0; i < n; i++) { const v = u(k, i); out[i] = w.role === 'kernel' ? v * s * gain : w.role === 'gamma' ? 1 + v * 0.2 : w.role === 'moving_variance' ? 1 + v : v * 0.2; }
    m.set(`${l.name}/${w.role}`, { values: out, shape: w.shape }); k++;
  }
  return m;
}
const backend = process.argv[2] ?? 'wasm';
if (backend === 'wasm') setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend(backend); await tf.ready();
const img = new Float32Array(224 * 224 * 3);
for (let y = 0; y < 224; y++) for (let x = 0; x < 224; x++) for (let c = 0; c < 3; c++) img[(y * 224 + x) * 3 + c] = (3 * x + 2 * y + 85 * c + ((x * y + 7 * c) % 31) * 4) % 256;
for (const arch of (process.argv[3] ?? 'resnet50,senet50,vgg16').split(',') as VggfaceArchitecture[]) {
  let t = performance.now(); const w = gen(arch); const tg = performance.now() - t;
  const params = createParams(arch, w);
  const input = tf.tensor4d(img, [1, 224, 224, 3]);
  t = performance.now(); const [e] = await embedBatch(params, input); const t1 = performance.now() - t;
  t = performance.now(); await embedBatch(params, input); const t2 = performance.now() - t;
  const ref = (await import(`/work/shared/fixtures/vggface/${arch}.json`, { with: { type: 'json' } })).default.output.values as number[];
  let num = 0, den = 0; ref.forEach((r, i) => { num += (r - (e as Float32Array)[i]!) ** 2; den += r * r; });
  console.log(arch, backend, 'gen', tg.toFixed(0), 'first', t1.toFixed(0), 'second', t2.toFixed(0), 'rel_l2', Math.sqrt(num / den));
  input.dispose();
}
