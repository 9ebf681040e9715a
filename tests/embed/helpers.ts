/** Shared loading for the recognition tests (tests/embed). */
import { join } from 'node:path';
import { initNodeBackend } from '../../src/cli/backend.ts';
import { listIdentityFolders } from '../../src/cli/files.ts';
import { decodeImageFile } from '../../src/io/node-image.ts';
import { embedderFromGraph } from '../../src/pipeline/embedders/create.ts';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import { type DetectedFaceLike, detectFaces } from '../../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { loadGraphModel } from '../../src/pipeline/models/load-model.ts';
import { type CascadeNets, createFaceDetector } from '../../src/pipeline/mtcnn/index.ts';
import type { NetOffload, OffloadNet } from '../../src/pipeline/offload.ts';
import { facesDir, readModelFile } from '../support/shared.ts';

/** The WASM backend: ~2–4× faster than the CPU backend for these networks in Node. */
export const useWasm = () => initNodeBackend('wasm');

/** P-, R-, O-Net and MobileFaceNet as the app's worker loads them (the caller disposes them). */
export async function loadCascadeAndMobileFaceNet(): Promise<{ nets: CascadeNets; embedder: Embedder }> {
  const [pnet, rnet, onet, mobilefacenet] = await Promise.all(
    (['pnet', 'rnet', 'onet', 'mobilefacenet'] as const).map((id) => loadGraphModel(id, readModelFile)),
  );
  if (pnet === undefined || rnet === undefined || onet === undefined || mobilefacenet === undefined) {
    throw new Error('a model did not load');
  }
  return { nets: { pnet, rnet, onet }, embedder: embedderFromGraph('mobilefacenet', mobilefacenet) };
}

export type OffloadCalls = Record<'pnet' | 'rnet' | 'onet' | 'embed', number>;

/**
 * A second engine in this process: `runner` (createOffloadRunner on the same nets) behind NetOffload,
 * counting the calls that reached it per net; or failing every call.
 */
export function inProcessOffload(
  runner: Omit<NetOffload, 'has'>,
  failing = false,
): NetOffload & { calls: OffloadCalls } {
  const calls: OffloadCalls = { pnet: 0, rnet: 0, onet: 0, embed: 0 };
  const call = <T>(kind: keyof OffloadCalls, run: () => Promise<T>): Promise<T> => {
    calls[kind]++;
    return failing ? Promise.reject(new Error('the second engine crashed')) : run();
  };
  return {
    calls,
    has: (_net: OffloadNet) => true,
    pnet: (levels) => call('pnet', () => runner.pnet(levels)),
    crops: (net, patches) => call(net, () => runner.crops(net, patches)),
    embed: (id, faces) => call('embed', () => runner.embed(id, faces)),
  };
}

export interface LabelledImages {
  readonly files: string[];
  readonly labels: string[];
  readonly images: RgbImage[];
}

/** `../shared/data/faces/<set>/<person>/<files>` in natural order. */
export async function loadIdentitySet(set: 'aligned' | 'bbt'): Promise<LabelledImages> {
  const folders = await listIdentityFolders(join(facesDir, set));
  const files = folders.flatMap((f) => f.files);
  const labels = folders.flatMap((f) => f.files.map(() => f.name));
  const images = await Promise.all(files.map((f) => decodeImageFile(f)));
  return { files, labels, images };
}

/** Black border that lets MTCNN find the tight bbt crops (their faces fill the frame). */
export const BBT_PADDING = 20;

/**
 * The largest face scoring ≥ 0.9 our MTCNN finds in each image padded by BBT_PADDING black pixels,
 * in the original image's pixels; null when none.
 */
export async function detectBest(images: readonly RgbImage[]): Promise<(DetectedFaceLike | null)[]> {
  const detector = await createFaceDetector(readModelFile);
  try {
    const out: (DetectedFaceLike | null)[] = [];
    for (const image of images) {
      const [face] = await detectFaces(image, detector, {
        detectPadding: BBT_PADDING,
        minScore: 0.9,
        maxFaces: 1,
      });
      out.push(face ?? null);
    }
    return out;
  } finally {
    detector.dispose();
  }
}

/** Fraction of same-person pairs closer than every different-person pair. */
export function sameBelowAllDifferent(p: { same: readonly number[]; different: readonly number[] }): number {
  const minDiff = Math.min(...p.different);
  return p.same.filter((d) => d < minDiff).length / p.same.length;
}
