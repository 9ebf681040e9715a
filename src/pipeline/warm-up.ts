/**
 * One pass of the whole pipeline over a small synthetic image, run once the models are loaded and
 * before any photo, so that the first photo does not pay the one-time costs: XNNPACK creating and
 * packing each convolution's operator, V8 compiling the host-side loops (summed-area table,
 * resampling, NMS, alignment), the second engine's own first calls. Measured on WASM
 * (docs/benchmarks.md, "Warm-up"): the first photo is 11–29 % faster for ~0.2 s of work after ready;
 * what remains is its own size's first upload, shrink and table.
 *
 * Every stage must run, and run split across both engines when there is a second one, so the
 * detector is called with every threshold at 0: any image then yields P-Net's full quota of
 * proposals, R- and O-Net candidates and faces. The faces are boxes of noise; nothing is kept.
 */
import type { AnyEmbedder } from './embedders/embedder.ts';
import { embedDetectedFaces } from './face-pipeline.ts';
import type { RgbImage } from './image.ts';
import type { DetectorOverrides } from './mtcnn/config.ts';
import type { FaceDetector } from './mtcnn/detector.ts';
import type { NetOffload } from './offload.ts';

/** Small: what is warmed up does not depend on the size, and the warm-up should cost little. */
const WIDTH = 120;
const HEIGHT = 90;
/**
 * Every threshold 0, so each stage passes work on; few proposals (but ≥ 32, so R-Net is split) and a
 * harsh R-Net NMS, so O-Net gets a dozen candidates (≥ 6, split) instead of hundreds; two faces, so
 * the embedder's batch is split too. The pyramid has five levels.
 */
const WARM_UP_DETECTOR: DetectorOverrides = {
  thresholds: [0, 0, 0],
  maxProposals: 40,
  nmsThresholds: { rnet: 0.2 },
  maxFaces: 2,
};

export interface WarmUpOptions {
  /** The second engine the detector and the photos use (offload.ts): it warms up too. */
  readonly offload?: NetOffload | undefined;
}

export interface WarmUpReport {
  readonly ms: number;
  /** Faces detected and embedded: 2, unless a stage passed nothing on (a bug). */
  readonly faces: number;
}

/** Smooth stripes in three phases: deterministic, and unlike a flat image, not all one value. */
function syntheticImage(): RgbImage {
  const data = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0, i = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++, i += 3) {
      data[i] = 128 + 100 * Math.sin((x + y) / 9);
      data[i + 1] = 128 + 100 * Math.sin((x - 2 * y) / 13);
      data[i + 2] = 128 + 100 * Math.cos((3 * x + y) / 17);
    }
  }
  return { width: WIDTH, height: HEIGHT, data };
}

/** Detects and embeds the synthetic image's "faces" once; leaves no tensor behind. */
export async function warmUp(
  detector: FaceDetector,
  embedder: AnyEmbedder,
  { offload }: WarmUpOptions = {},
): Promise<WarmUpReport> {
  const started = performance.now();
  const image = syntheticImage();
  const faces = await detector.detect(image, WARM_UP_DETECTOR);
  await embedDetectedFaces(image, faces, embedder, {
    crops: true,
    ...(offload === undefined ? {} : { offload }),
  });
  return { ms: performance.now() - started, faces: faces.length };
}
