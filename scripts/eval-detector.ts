/**
 * Detector parity against the MTCNN reference (../shared/fixtures/mtcnn-reference.json), printed as
 * JSON: recall, mean IoU (inside / border-crossing), landmark error, per-image results and timing.
 *
 *   npm run eval:detector -- [--backend wasm|cpu] [--resampling area|bilinear]
 *                            [--border-crops pad|stretch] [--only SUBSTRING] [--draw OUT_DIR]
 *                            [--max-detection-side N|Infinity] [--min-face-size N]
 *                            [--min-face-fraction F] [--max-proposals N|Infinity] [--reference-config]
 *                            [--config '{"thresholds":[0.6,0.7,0.8]}']
 *
 * --reference-config detects as the reference does (no cap, no relative minimum face, no proposal
 * cap); the speed levers can be set one by one, and --config takes any DetectorOverrides as JSON
 * (applied last). `found` counts required reference faces that have
 * a matching detection at all (IoU ≥ 0.3), per folder: the "no lost faces" number.
 *
 * --draw writes every photo as PNG with our boxes and landmarks (solid) and the reference boxes
 * (dashed), so a person can look.
 */
import '@tensorflow/tfjs-backend-cpu';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { decodeImageFile } from '../src/io/node-image.ts';
import type { RgbImage } from '../src/pipeline/image.ts';
import type { ModelFileReader } from '../src/pipeline/models/load-model.ts';
import type { BorderCrops, DetectorOverrides, Resampling } from '../src/pipeline/mtcnn/config.ts';
import { createFaceDetector, type DetectedFace } from '../src/pipeline/mtcnn/detector.ts';
import {
  compareFaces,
  type ImageComparison,
  type ReferenceFace,
  type ReferenceFixture,
  summarise,
} from '../src/pipeline/mtcnn/evaluate.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = resolve(projectRoot, '../shared');
const facesDir = join(sharedDir, 'data/faces');
const fixturePath = join(sharedDir, 'fixtures/mtcnn-reference.json');

const readModelFile: ModelFileReader = async (path) => {
  const bytes = await readFile(join(projectRoot, 'public/models', path));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

async function selectBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  } else if (name !== 'cpu') {
    throw new Error(`--backend must be cpu or wasm (WebGL is covered by the browser e2e), got ${name}`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}

const COLOURS = ['#ff3b30', '#34c759', '#ffcc00', '#0a84ff', '#bf5af2'];

/** How the drawing maps image pixels: a grey margin for boxes that leave the image, small photos enlarged. */
interface Canvas {
  readonly zoom: number;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function canvasFor(image: RgbImage, boxes: ReadonlyArray<readonly number[]>): Canvas {
  const zoom = Math.max(1, Math.floor(450 / Math.max(image.width, image.height)));
  let [minX, minY, maxX, maxY] = [0, 0, image.width, image.height];
  for (const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] of boxes) {
    [minX, minY, maxX, maxY] = [
      Math.min(minX, x1 - 1),
      Math.min(minY, y1 - 1),
      Math.max(maxX, x2),
      Math.max(maxY, y2),
    ];
  }
  const left = Math.ceil(-minX * zoom) + 4 * zoom;
  const top = Math.ceil(-minY * zoom) + 4 * zoom;
  return {
    zoom,
    left,
    top,
    width: left + Math.ceil(maxX * zoom) + 4 * zoom,
    height: top + Math.ceil(maxY * zoom) + 4 * zoom,
  };
}

/** SVG over the canvas: reference boxes dashed white, detections solid cyan with coloured landmarks. */
function overlaySvg(
  canvas: Canvas,
  faces: readonly DetectedFace[],
  reference: readonly ReferenceFace[],
): string {
  const { zoom, left, top } = canvas;
  const px = (x: number) => left + x * zoom;
  const py = (y: number) => top + y * zoom;
  const line = Math.max(2, Math.round(Math.min(canvas.width, canvas.height) / 250));
  const font = Math.max(12, line * 7);
  // MTCNN boxes cover pixel edges [x1 − 1, x2].
  const rect = ([x1 = 0, y1 = 0, x2 = 0, y2 = 0]: readonly number[], style: string) =>
    `<rect x="${px(x1 - 1)}" y="${py(y1 - 1)}" width="${(x2 - x1 + 1) * zoom}" height="${(y2 - y1 + 1) * zoom}" fill="none" ${style}/>`;
  const parts = reference.map((r) =>
    rect(r.box, `stroke="white" stroke-width="${line}" stroke-dasharray="${line * 4} ${line * 3}"`),
  );
  for (const face of faces) {
    parts.push(rect(face.box, `stroke="#00e5ff" stroke-width="${line}"`));
    face.landmarks.forEach(([x, y], i) => {
      parts.push(`<circle cx="${px(x)}" cy="${py(y)}" r="${line * 2}" fill="${COLOURS[i]}" stroke="black"/>`);
    });
    const [x1, y1] = face.box;
    parts.push(
      `<text x="${px(x1 - 1)}" y="${Math.max(font, py(y1 - 1) - line * 2)}" font-family="sans-serif" font-size="${font}" fill="#00e5ff" stroke="black" stroke-width="1">${face.score.toFixed(3)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}">${parts.join('')}</svg>`;
}

async function drawPng(
  path: string,
  image: RgbImage,
  faces: readonly DetectedFace[],
  reference: readonly ReferenceFace[],
): Promise<void> {
  const canvas = canvasFor(image, [...faces.map((f) => f.box), ...reference.map((r) => r.box)]);
  await mkdir(dirname(path), { recursive: true });
  const photo = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(image.width * canvas.zoom, image.height * canvas.zoom, { kernel: 'nearest' })
    .extend({
      left: canvas.left,
      top: canvas.top,
      right: canvas.width - canvas.left - image.width * canvas.zoom,
      bottom: canvas.height - canvas.top - image.height * canvas.zoom,
      background: '#606060',
    })
    .raw()
    .toBuffer();
  await sharp(photo, { raw: { width: canvas.width, height: canvas.height, channels: 3 } })
    .composite([{ input: Buffer.from(overlaySvg(canvas, faces, reference)) }])
    .png()
    .toFile(path);
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** facenet-pytorch's own setting: full resolution, 20 px faces, every P-Net candidate. */
const REFERENCE_CONFIG: DetectorOverrides = {
  thresholds: [0.6, 0.7, 0.7],
  maxDetectionSide: Number.POSITIVE_INFINITY,
  preferredDetectionSide: Number.POSITIVE_INFINITY,
  minFaceFraction: 0,
  maxProposals: Number.POSITIVE_INFINITY,
};

const defined = <K extends keyof DetectorOverrides>(key: K, value: DetectorOverrides[K] | undefined) =>
  value === undefined ? {} : { [key]: value };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      resampling: { type: 'string' },
      'border-crops': { type: 'string' },
      only: { type: 'string' },
      draw: { type: 'string' },
      'max-detection-side': { type: 'string' },
      'min-face-size': { type: 'string' },
      'min-face-fraction': { type: 'string' },
      'max-proposals': { type: 'string' },
      'reference-config': { type: 'boolean', default: false },
      config: { type: 'string' },
    },
  });
  const numberFlag = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const levers: DetectorOverrides = {
    ...(values['reference-config'] ? REFERENCE_CONFIG : {}),
    ...defined('maxDetectionSide', numberFlag(values['max-detection-side'])),
    ...defined('minFaceSize', numberFlag(values['min-face-size'])),
    ...defined('minFaceFraction', numberFlag(values['min-face-fraction'])),
    ...defined('maxProposals', numberFlag(values['max-proposals'])),
    ...(values.config === undefined ? {} : (JSON.parse(values.config) as DetectorOverrides)),
  };
  const backend = values.backend ?? 'wasm';
  await selectBackend(backend);
  const fixture = JSON.parse(await readFile(fixturePath, 'utf8')) as ReferenceFixture;
  const detector = await createFaceDetector(readModelFile, {
    resampling: values.resampling as Resampling | undefined,
    borderCrops: values['border-crops'] as BorderCrops | undefined,
    ...levers,
  });
  const entries = Object.entries(fixture.images).filter(
    ([key]) => values.only === undefined || key.includes(values.only),
  );

  const comparisons: Array<{ comparison: ImageComparison; reference: readonly ReferenceFace[] }> = [];
  const found: Record<string, { required: number; found: number; detections: number }> = {};
  const perImage: Array<
    { image: string; detectMs: number; candidates: { pnet: number; rnet: number } } & Record<string, unknown>
  > = [];
  for (const [key, ref] of entries) {
    const image = await decodeImageFile(join(facesDir, key));
    const started = performance.now();
    const candidates = { pnet: 0, rnet: 0 };
    const faces = await detector.detect(image, undefined, (event) => {
      if (event.stage === 'pnet') candidates.pnet = event.candidates;
      if (event.stage === 'rnet') candidates.rnet = event.candidates;
    });
    const detectMs = performance.now() - started;
    const comparison = compareFaces(ref.faces, faces, ref.width, ref.height);
    comparisons.push({ comparison, reference: ref.faces });
    const folder = key.split('/')[0] ?? key;
    const tally = found[folder] ?? { required: 0, found: 0, detections: 0 };
    tally.required += comparison.requiredCount;
    tally.found += comparison.matches.filter((m) => m.required).length;
    tally.detections += faces.length;
    found[folder] = tally;
    perImage.push({
      image: key,
      size: [ref.width, ref.height],
      detectMs: Math.round(detectMs),
      candidates,
      referenceFaces: ref.faces.length,
      detections: faces.length,
      matches: comparison.matches.map((m) => ({
        iou: round(m.iou),
        landmarkErrorPx: round(m.landmarkError, 2),
        maxLandmarkErrorPerWidth: round(m.maxLandmarkErrorPerWidth),
        crossesBorder: m.crossesBorder,
        required: m.required,
        passes: m.passes,
        score: round(faces[m.detection]?.score ?? 0, 6),
        referenceScore: ref.faces[m.reference]?.score,
      })),
      missedRequired: comparison.missed.length,
      confidentExtras: comparison.confidentExtras.map((d) => ({
        box: faces[d]?.box.map((v) => round(v, 1)),
        score: faces[d]?.score,
      })),
      otherUnmatched: faces.length - comparison.matches.length - comparison.confidentExtras.length,
    });
    if (values.draw !== undefined)
      await drawPng(join(values.draw, key.replace(/\.[^.]+$/, '.png')), image, faces, ref.faces);
  }
  detector.dispose();

  const summary = summarise(comparisons);
  const times = perImage.map((p) => p.detectMs);
  const byGroup = (prefix: string) => {
    const t = perImage.filter((p) => p.image.startsWith(prefix)).map((p) => p.detectMs);
    return t.length === 0 ? null : Math.round(t.reduce((s, v) => s + v, 0) / t.length);
  };
  const report = {
    backend,
    resampling: detector.config.resampling,
    borderCrops: detector.config.borderCrops,
    maxDetectionSide: detector.config.maxDetectionSide,
    minFaceSize: detector.config.minFaceSize,
    minFaceFraction: detector.config.minFaceFraction,
    maxProposals: detector.config.maxProposals,
    images: entries.length,
    found,
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v)])),
    timingMs: {
      total: times.reduce((s, v) => s + v, 0),
      meanPerImage: Math.round(times.reduce((s, v) => s + v, 0) / Math.max(1, times.length)),
      meanBbt150px: byGroup('bbt/'),
      meanGroups: byGroup('groups/'),
      meanPeople: byGroup('people/'),
    },
    // What R-Net and O-Net had to look at: their cost grows with these (≈0.2 and ≈1.3 ms each on WASM).
    candidates: {
      pnet: perImage.reduce((n, p) => n + p.candidates.pnet, 0),
      rnet: perImage.reduce((n, p) => n + p.candidates.rnet, 0),
    },
    perImage,
  };
  console.log(JSON.stringify(report, null, 2));
}

await main();
