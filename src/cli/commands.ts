/** The facecheck commands. Each returns the process exit code (0 ok, 1 some file failed). */
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { decodeImageFile } from '../io/node-image.ts';
import type { DistanceMetric } from '../models/specs.ts';
import { distance } from '../pipeline/distance.ts';
import type { AnyEmbedder } from '../pipeline/embedders/embedder.ts';
import {
  allPairDistances,
  type PairDistances,
  rank1Identification,
  verificationMetrics,
} from '../pipeline/embedders/evaluate.ts';
import { type AnalyzedFace, createPixelStaging } from '../pipeline/face-pipeline.ts';
import { identify } from '../pipeline/identify.ts';
import type { RgbImage } from '../pipeline/image.ts';
import { type DetectedFace, toMtcnnPackageFormat } from '../pipeline/mtcnn/index.ts';
import { largestFace, type ReferenceFaceMode, verifyPhotos } from '../pipeline/verify.ts';
import { type AnalyzeContext, analyzeFiles, type FileFaces, type InputMode } from './analyze.ts';
import type { NodeBackend } from './backend.ts';
import type { CliDetector } from './detector.ts';
import { expandImageArgs, listIdentityFolders } from './files.ts';
import { fmt, fmtBox, round, table } from './format.ts';

export interface CommandContext {
  readonly backend: NodeBackend;
  readonly embedder: AnyEmbedder | null;
  readonly detector: CliDetector | null;
  readonly mode: InputMode;
  readonly json: boolean;
  readonly metric: DistanceMetric | undefined;
  readonly threshold: number | undefined;
  readonly minScore: number | undefined;
  readonly detectPadding: number | undefined;
}

function needEmbedder(ctx: CommandContext): AnyEmbedder {
  if (ctx.embedder === null) throw new Error('internal: this command needs an embedder');
  return ctx.embedder;
}

function analyzeContext(ctx: CommandContext): AnalyzeContext {
  return {
    embedder: needEmbedder(ctx),
    detector: ctx.detector,
    mode: ctx.mode,
    minScore: ctx.minScore,
    detectPadding: ctx.detectPadding,
    staging: createPixelStaging(),
  };
}

/** Metric and threshold in force: flags, else the embedder's calibrated defaults. */
function decision(ctx: CommandContext): { metric: DistanceMetric; threshold: number } {
  const embedder = needEmbedder(ctx);
  const metric = ctx.metric ?? embedder.metric;
  const threshold = ctx.threshold ?? embedder.thresholds[metric];
  if (threshold === undefined)
    throw new Error(`${embedder.id} has no calibrated ${metric} threshold: pass --threshold`);
  return { metric, threshold };
}

const failed = (f: FileFaces) => f.error !== undefined || f.faces.length === 0;
const reason = (f: FileFaces) => f.error ?? 'no face found';

/** One line per file that failed, on stderr (stdout stays clean for --json). */
function reportFailures(files: readonly FileFaces[], json: boolean): void {
  for (const f of files.filter(failed)) {
    (json ? console.error : console.log)(`${f.file}: ${reason(f)}`);
  }
}

const faceJson = (f: AnalyzedFace) => ({
  box: f.box.map((v) => round(v, 2)),
  score: round(f.score, 6),
  landmarks: f.landmarks.map(([x, y]) => [round(x, 2), round(y, 2)]),
});

const header = (ctx: CommandContext, extra = '') => {
  const e = ctx.embedder;
  const model = e === null ? '' : `model ${e.id}${e.flipTta ? ' + flip TTA' : ''}, `;
  return `${model}${extra}backend ${ctx.backend}`;
};

// ---------------------------------------------------------------------------------------------- detect

/** Detection on a black-bordered copy (tight crops), mapped back to the original pixels. */
async function detectWithPadding(
  detector: CliDetector,
  image: RgbImage,
  pad: number,
): Promise<DetectedFace[]> {
  if (pad === 0) return detector.detect(image);
  const width = image.width + 2 * pad;
  const height = image.height + 2 * pad;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < image.height; y++) {
    data.set(
      image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3),
      ((y + pad) * width + pad) * 3,
    );
  }
  const faces = await detector.detect({ width, height, data });
  const shift = ([x, y]: readonly [number, number]) => [x - pad, y - pad] as const;
  return faces.map((f) => ({
    box: [f.box[0] - pad, f.box[1] - pad, f.box[2] - pad, f.box[3] - pad],
    score: f.score,
    landmarks: [
      shift(f.landmarks[0]),
      shift(f.landmarks[1]),
      shift(f.landmarks[2]),
      shift(f.landmarks[3]),
      shift(f.landmarks[4]),
    ],
  }));
}

async function drawDetections(
  file: string,
  outDir: string,
  faces: readonly FileFaces['faces'][number][],
): Promise<string> {
  const image = await decodeImageFile(file);
  const stroke = Math.max(2, Math.round(Math.min(image.width, image.height) / 200));
  const shapes = faces.flatMap((f) => {
    const [x1, y1, x2, y2] = f.box;
    return [
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="#00e676" stroke-width="${stroke}"/>`,
      ...f.landmarks.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="${stroke * 1.5}" fill="#ff1744"/>`),
      `<text x="${x1}" y="${Math.max(12, y1 - 4)}" fill="#00e676" font-size="${stroke * 7}" font-family="sans-serif">${f.score.toFixed(3)}</text>`,
    ];
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">${shapes.join('')}</svg>`;
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, `${basename(file, extname(file))}.detections.png`);
  await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toFile(out);
  return out;
}

export async function runDetect(
  ctx: CommandContext,
  inputs: readonly string[],
  drawDir: string | undefined,
): Promise<number> {
  const detector = ctx.detector;
  if (detector === null) throw new Error('internal: detect needs the detector');
  const files = await expandImageArgs(inputs);
  const results: FileFaces[] = [];
  const detected = new Map<string, DetectedFace[]>();
  for (const file of files) {
    let image: Awaited<ReturnType<typeof decodeImageFile>>;
    try {
      image = await decodeImageFile(file);
    } catch (error) {
      results.push({
        file,
        width: 0,
        height: 0,
        faces: [],
        error: `cannot read image (${error instanceof Error ? error.message : String(error)})`,
      });
      continue;
    }
    try {
      const pad = Math.max(0, Math.round(ctx.detectPadding ?? 0));
      const faces = (await detectWithPadding(detector, image, pad)).filter(
        (f) => f.score >= (ctx.minScore ?? 0),
      );
      detected.set(file, faces);
      results.push({
        file,
        width: image.width,
        height: image.height,
        faces: faces.map((f) => ({
          box: [f.box[0] ?? 0, f.box[1] ?? 0, f.box[2] ?? 0, f.box[3] ?? 0],
          score: f.score,
          landmarks: f.landmarks.map((p) => [p[0] ?? 0, p[1] ?? 0] as [number, number]),
          embedding: new Float32Array(0),
          crop: null,
        })),
      });
    } catch (error) {
      results.push({
        file,
        width: image.width,
        height: image.height,
        faces: [],
        error: `detection failed (${error instanceof Error ? error.message : String(error)})`,
      });
    }
  }
  const drawn = new Map<string, string>();
  if (drawDir !== undefined) {
    for (const r of results.filter((x) => x.error === undefined))
      drawn.set(r.file, await drawDetections(r.file, drawDir, r.faces));
  }
  if (ctx.json) {
    const out = results.map((r) =>
      r.error !== undefined
        ? { file: r.file, error: r.error }
        : {
            file: r.file,
            faces: toMtcnnPackageFormat(detected.get(r.file) ?? []),
            ...(drawn.has(r.file) ? { drawn: drawn.get(r.file) } : {}),
          },
    );
    console.log(JSON.stringify(out, null, 2));
    reportFailures(results, true);
  } else {
    console.log(`facecheck detect — ${header(ctx)}`);
    for (const r of results) {
      if (failed(r)) continue;
      console.log(
        `${r.file}: ${r.faces.length} face${r.faces.length === 1 ? '' : 's'}${drawn.has(r.file) ? ` → ${drawn.get(r.file)}` : ''}`,
      );
      console.log(
        table(
          r.faces.map((f, i) => [
            `  face ${i + 1}`,
            `box ${fmtBox(f.box)}`,
            `score ${fmt(f.score, 4)}`,
            `landmarks ${f.landmarks.map((p) => fmtBox(p)).join(' ')}`,
          ]),
        ),
      );
    }
    reportFailures(results, false);
  }
  return results.some(failed) ? 1 : 0;
}

// ----------------------------------------------------------------------------------------------- embed

export async function runEmbed(ctx: CommandContext, inputs: readonly string[]): Promise<number> {
  const files = await analyzeFiles(await expandImageArgs(inputs), analyzeContext(ctx));
  if (ctx.json) {
    const out = files.map((f) =>
      f.error !== undefined
        ? { file: f.file, error: f.error }
        : {
            file: f.file,
            faces: f.faces.map((face) => ({
              ...(ctx.mode === 'detect' ? faceJson(face) : {}),
              embedding: Array.from(face.embedding, (v) => round(v, 6)),
            })),
          },
    );
    console.log(JSON.stringify(out));
    reportFailures(files, true);
  } else {
    for (const f of files.filter((x) => !failed(x))) {
      f.faces.forEach((face, i) => {
        const where = ctx.mode === 'detect' ? ` face ${i + 1} ${fmtBox(face.box)}` : '';
        console.log(`${f.file}${where}: ${Array.from(face.embedding, (v) => v.toFixed(6)).join(' ')}`);
      });
    }
    reportFailures(files, false);
  }
  return files.some(failed) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------- verify

export async function runVerify(
  ctx: CommandContext,
  referenceArgs: readonly string[],
  inputs: readonly string[],
  referenceFaces: ReferenceFaceMode,
): Promise<number> {
  const { metric, threshold } = decision(ctx);
  const actx = analyzeContext(ctx);
  const references = await analyzeFiles(await expandImageArgs(referenceArgs), actx);
  const photos = await analyzeFiles(await expandImageArgs(inputs), actx);
  const asPhoto = (f: FileFaces) => ({
    name: f.file,
    faces: f.faces,
    ...(f.error !== undefined ? { error: f.error } : {}),
  });
  const report = await verifyPhotos(references.map(asPhoto), photos.map(asPhoto), {
    metric,
    threshold,
    referenceFaces,
  });

  if (ctx.json) {
    const byName = new Map(photos.map((p) => [p.file, p]));
    console.log(
      JSON.stringify(
        {
          model: needEmbedder(ctx).id,
          flipTta: needEmbedder(ctx).flipTta,
          metric,
          threshold,
          referenceFaces,
          backend: ctx.backend,
          references: report.references.map((r) => ({
            file: r.photo,
            face: r.face,
            box: r.box.map((v) => round(v, 2)),
          })),
          unusableReferences: report.unusableReferences.map((u) => ({ file: u.photo, reason: u.reason })),
          photos: report.photos.map((p) => ({
            file: p.name,
            verdict: p.verdict,
            ...(p.error !== undefined ? { error: p.error } : {}),
            bestDistance: p.bestDistance === null ? null : round(p.bestDistance, 6),
            faces: p.faces.map((f) => {
              const face = byName.get(p.name)?.faces[f.face];
              const ref = report.references[f.reference];
              return {
                ...(face === undefined ? {} : faceJson(face)),
                distance: round(f.distance, 6),
                verdict: f.verified ? 'match' : 'no-match',
                reference: ref === undefined ? null : { file: ref.photo, face: ref.face },
              };
            }),
          })),
          summary: report.summary,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(`facecheck verify — ${header(ctx, `${metric} distance, threshold ${threshold}, `)}`);
    console.log(
      `Reference face${report.references.length === 1 ? '' : 's'} (${referenceFaces === 'largest' ? 'largest per photo' : 'all faces'}):`,
    );
    for (const r of report.references) console.log(`  ${r.photo}  face ${r.face + 1}  box ${fmtBox(r.box)}`);
    for (const u of report.unusableReferences) console.log(`  ${u.photo}: ${u.reason} (skipped)`);
    console.log('');
    const rows: string[][] = [['photo', 'face', 'box', 'distance', 'verdict']];
    for (const p of report.photos) {
      if (p.verdict === 'error' || p.verdict === 'no-face') {
        rows.push([
          p.name,
          '-',
          '-',
          '-',
          p.verdict === 'error' ? `error: ${p.error ?? ''}` : 'no face found',
        ]);
        continue;
      }
      for (const f of p.faces) {
        const ref = report.references[f.reference];
        rows.push([
          p.name,
          String(f.face + 1),
          fmtBox(f.box),
          fmt(f.distance, 4),
          f.verified ? `MATCH (nearest: ${ref?.photo ?? '?'})` : 'no match',
        ]);
      }
    }
    console.log(table(rows));
    const s = report.summary;
    console.log(
      `\nSummary: ${s.verified.length} verified, ${s.notVerified.length} not verified, ${s.noFace.length} without a face, ${s.errors.length} unreadable`,
    );
    for (const p of report.photos) {
      const d =
        p.bestDistance === null
          ? ''
          : ` (best distance ${fmt(p.bestDistance, 4)} ${p.verdict === 'verified' ? '≤' : '>'} ${threshold})`;
      const label = {
        verified: 'VERIFIED',
        'not-verified': 'not verified',
        'no-face': 'no face',
        error: 'error',
      }[p.verdict];
      console.log(`  ${label.padEnd(12)}  ${p.name}${p.verdict === 'error' ? `: ${p.error ?? ''}` : d}`);
    }
  }
  const anyReferenceFailed = references.some(failed);
  return anyReferenceFailed || photos.some(failed) ? 1 : 0;
}

// -------------------------------------------------------------------------------------------- identify

export async function runIdentify(
  ctx: CommandContext,
  galleryDir: string,
  inputs: readonly string[],
  topK: number,
): Promise<number> {
  const { metric, threshold } = decision(ctx);
  const actx = analyzeContext(ctx);
  const folders = await listIdentityFolders(galleryDir);
  if (folders.length === 0)
    throw new Error(`${galleryDir} has no sub-folders with images (one folder per person)`);
  const galleryFiles: FileFaces[] = [];
  const people: { name: string; files: string[]; embeddings: Float32Array[] }[] = [];
  for (const folder of folders) {
    const analysed = await analyzeFiles(folder.files, actx);
    galleryFiles.push(...analysed);
    const usable = analysed.filter((f) => !failed(f));
    people.push({
      name: folder.name,
      files: usable.map((f) => f.file),
      embeddings: usable.map((f) => (f.faces[largestFace(f.faces)] as AnalyzedFace).embedding),
    });
  }
  const photos = await analyzeFiles(await expandImageArgs(inputs), actx);
  const probes = photos.flatMap((p) => p.faces.map((f) => f.embedding));
  const ids = await identify(probes, people, { metric, threshold, topK });
  let next = 0;
  const perPhoto = photos.map((p) => ({ photo: p, ids: p.faces.map(() => ids[next++]) }));
  const candidateJson = (c: { name: string; distance: number; sample: number }) => ({
    name: c.name,
    distance: round(c.distance, 6),
    file: people.find((x) => x.name === c.name)?.files[c.sample] ?? null,
  });
  if (ctx.json) {
    console.log(
      JSON.stringify(
        {
          model: needEmbedder(ctx).id,
          metric,
          threshold,
          backend: ctx.backend,
          gallery: people.map((p) => ({ name: p.name, images: p.files.length })),
          galleryErrors: galleryFiles.filter(failed).map((f) => ({ file: f.file, reason: reason(f) })),
          photos: perPhoto.map(({ photo, ids: faceIds }) =>
            photo.error !== undefined
              ? { file: photo.file, error: photo.error }
              : {
                  file: photo.file,
                  faces: photo.faces.map((f, i) => ({
                    ...faceJson(f),
                    label: faceIds[i]?.label ?? 'unknown',
                    candidates: (faceIds[i]?.candidates ?? []).map(candidateJson),
                  })),
                },
          ),
        },
        null,
        2,
      ),
    );
    reportFailures([...galleryFiles, ...photos], true);
  } else {
    console.log(`facecheck identify — ${header(ctx, `${metric} distance, threshold ${threshold}, `)}`);
    console.log(`Gallery: ${people.map((p) => `${p.name} (${p.embeddings.length})`).join(', ')}`);
    for (const f of galleryFiles.filter(failed)) console.log(`  gallery ${f.file}: ${reason(f)} (skipped)`);
    console.log('');
    const rows: string[][] = [['photo', 'face', 'box', 'identity', 'distance', `top ${topK}`]];
    for (const { photo, ids: faceIds } of perPhoto) {
      if (failed(photo)) {
        rows.push([photo.file, '-', '-', reason(photo), '-', '-']);
        continue;
      }
      photo.faces.forEach((f, i) => {
        const id = faceIds[i];
        rows.push([
          photo.file,
          String(i + 1),
          fmtBox(f.box),
          id?.label ?? 'unknown',
          id?.candidates[0] === undefined ? '-' : fmt(id.candidates[0].distance, 4),
          (id?.candidates ?? []).map((c) => `${c.name} ${fmt(c.distance, 3)}`).join(', '),
        ]);
      });
    }
    console.log(table(rows));
  }
  return galleryFiles.some(failed) || photos.some(failed) ? 1 : 0;
}

// ----------------------------------------------------------------------------------------------- pairs

interface PairsOptions {
  readonly pairs: string | undefined;
  readonly root: string | undefined;
  readonly folders: string | undefined;
}

const LABELS: Record<string, boolean> = {
  '1': true,
  true: true,
  same: true,
  '0': false,
  false: false,
  different: false,
};

/** file_x,file_y,label lines; a first line whose label is not 0/1/true/false/same/different is a header. */
export function parsePairsCsv(text: string): { a: string; b: string; same: boolean }[] {
  const rows: { a: string; b: string; same: boolean }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const [a, b, label] = line.split(',').map((c) => c.trim());
    const same = LABELS[(label ?? '').toLowerCase()];
    if (a === undefined || b === undefined || same === undefined) {
      if (i === 0) return; // header
      throw new Error(`pairs csv line ${i + 1}: expected file_x,file_y,label (label 0/1), got "${line}"`);
    }
    rows.push({ a, b, same });
  });
  return rows;
}

export async function runPairs(ctx: CommandContext, options: PairsOptions): Promise<number> {
  const embedder = needEmbedder(ctx);
  const { metric } = decision(ctx);
  const defaultThreshold = ctx.threshold ?? embedder.thresholds[metric];
  const actx = analyzeContext(ctx);
  const largest = (f: FileFaces) => f.faces[largestFace(f.faces)]?.embedding;
  let pairDistances: PairDistances;
  let failures: FileFaces[];
  let rank1: Awaited<ReturnType<typeof rank1Identification>> | null = null;
  let images = 0;
  if (options.folders !== undefined) {
    const folders = await listIdentityFolders(options.folders);
    const analysed = await analyzeFiles(
      folders.flatMap((f) => f.files),
      actx,
    );
    const labelOf = new Map(folders.flatMap((f) => f.files.map((file) => [file, f.name] as const)));
    const usable = analysed.filter((f) => !failed(f));
    failures = analysed.filter(failed);
    images = usable.length;
    const embeddings = usable.map((f) => largest(f) as Float32Array);
    const labels = usable.map((f) => labelOf.get(f.file) ?? '?');
    pairDistances = await allPairDistances(embeddings, labels, metric);
    rank1 = await rank1Identification(embeddings, labels, metric, 5);
  } else {
    const csvPath = options.pairs as string;
    const root = options.root ?? dirname(resolve(csvPath));
    const rows = parsePairsCsv(await readFile(csvPath, 'utf8'));
    const unique = [...new Set(rows.flatMap((r) => [r.a, r.b]))];
    const analysed = await analyzeFiles(
      unique.map((f) => resolve(root, f)),
      actx,
    );
    const byName = new Map(unique.map((name, i) => [name, analysed[i] as FileFaces]));
    failures = analysed.filter(failed);
    images = analysed.length - failures.length;
    const same: number[] = [];
    const different: number[] = [];
    for (const r of rows) {
      const ea = largest(byName.get(r.a) as FileFaces);
      const eb = largest(byName.get(r.b) as FileFaces);
      if (ea === undefined || eb === undefined) continue;
      (r.same ? same : different).push(distance(ea, eb, metric));
    }
    pairDistances = { same, different };
  }
  const m = verificationMetrics(pairDistances, defaultThreshold === undefined ? [] : [defaultThreshold]);
  const result = {
    model: embedder.id,
    flipTta: embedder.flipTta,
    metric,
    backend: ctx.backend,
    input: ctx.mode === 'aligned' ? 'aligned 112×112 ArcFace crops' : 'detected faces (largest per image)',
    images,
    failedImages: failures.map((f) => ({ file: f.file, reason: reason(f) })),
    pairs: m.pairs,
    auc: round(m.auc, 5),
    tarAtFar: m.tarAtFar.map((t) => ({ far: t.far, tar: round(t.tar), threshold: round(t.threshold) })),
    bestAccuracy: { accuracy: round(m.bestAccuracy.accuracy), threshold: round(m.bestAccuracy.threshold) },
    eer: { rate: round(m.eer.rate), threshold: round(m.eer.threshold) },
    atDefaultThreshold:
      m.at[0] === undefined ? null : { threshold: m.at[0].threshold, accuracy: round(m.at[0].accuracy) },
    ...(rank1 === null
      ? {}
      : {
          rank1: {
            accuracy: round(rank1.rank1),
            probes: rank1.probes,
            galleryPerPerson: 5,
            errors: rank1.errors.length,
          },
        }),
  };
  console.log(JSON.stringify(result, null, 2));
  for (const f of failures) console.error(`${f.file}: ${reason(f)}`);
  return failures.length > 0 ? 1 : 0;
}
