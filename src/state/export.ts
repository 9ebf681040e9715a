/**
 * Verification results as CSV (one row per face, or per photo without faces) and JSON. Exports hold
 * file names, boxes, scores, distances and verdicts — never pixels or embeddings — and are built in
 * memory for a download; nothing is sent anywhere.
 */
import type { AnyEmbedderId } from '../models/embedders.ts';
import type { DistanceMetric } from '../pipeline/vector-distance.ts';
import type { PhotoProblemCode } from '../worker/api.ts';
import type { Photo } from './photo.ts';
import {
  metricOf,
  type Nearest,
  type PhotoOutcome,
  photoOutcome,
  type Scores,
  type Summary,
  summarize,
  type Verdict,
  verdictOf,
} from './scoring.ts';

export interface ExportedFace {
  /** 1-based, largest face first, as on the card. */
  readonly face: number;
  readonly box: readonly [number, number, number, number];
  readonly detectionScore: number;
  /** Null while there is no reference face to compare with. */
  readonly distance: number | null;
  readonly verdict: Verdict | null;
  readonly nearestReference: string | null;
}

export interface ExportedPhoto {
  readonly file: string;
  readonly result: PhotoOutcome;
  readonly problem: { readonly code: PhotoProblemCode; readonly message: string } | null;
  readonly analysisMs: number | null;
  readonly faces: readonly ExportedFace[];
}

export interface VerificationExport {
  readonly format: 'facecheck-verification';
  readonly version: 1;
  readonly exportedAt: string;
  readonly model: AnyEmbedderId;
  readonly metric: DistanceMetric;
  readonly threshold: number;
  readonly references: readonly { readonly file: string; readonly usable: boolean }[];
  readonly summary: Summary;
  readonly photos: readonly ExportedPhoto[];
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

function exportFaces(
  photo: Photo,
  nearest: readonly Nearest[] | undefined,
  threshold: number,
  names: Map<string, string>,
) {
  if (photo.status.kind !== 'done') return [];
  return photo.status.result.faces.map((face, i): ExportedFace => {
    const n = nearest?.[i];
    return {
      face: i + 1,
      box: [round(face.box[0], 1), round(face.box[1], 1), round(face.box[2], 1), round(face.box[3], 1)],
      detectionScore: round(face.score, 4),
      distance: n === undefined ? null : round(n.distance, 4),
      verdict: n === undefined ? null : verdictOf(n.distance, threshold),
      nearestReference: n === undefined ? null : (names.get(n.reference.photoId) ?? null),
    };
  });
}

export function buildVerificationExport(
  photos: readonly Photo[],
  scores: Scores,
  embedder: AnyEmbedderId,
  threshold: number,
  now: Date = new Date(),
): VerificationExport {
  const references = photos.filter((p) => p.role === 'reference');
  const tests = photos.filter((p) => p.role === 'test');
  const names = new Map(references.map((p) => [p.id, p.name]));
  return {
    format: 'facecheck-verification',
    version: 1,
    exportedAt: now.toISOString(),
    model: embedder,
    metric: metricOf(embedder),
    threshold: round(threshold, 4),
    references: references.map((p) => ({
      file: p.name,
      usable: p.status.kind === 'done' && p.status.result.faces.length > 0,
    })),
    summary: summarize(tests, scores, threshold),
    photos: tests.map((photo) => ({
      file: photo.name,
      result: photoOutcome(photo, scores.get(photo.id), threshold),
      problem: photo.status.kind === 'failed' ? photo.status.problem : null,
      analysisMs: photo.status.kind === 'done' ? Math.round(photo.status.result.timings.totalMs) : null,
      faces: exportFaces(photo, scores.get(photo.id), threshold, names),
    })),
  };
}

export const toJson = (data: VerificationExport): string => `${JSON.stringify(data, null, 2)}\n`;

export const CSV_COLUMNS = [
  'file',
  'photo_result',
  'face',
  'distance',
  'verdict',
  'detection_score',
  'box_x1',
  'box_y1',
  'box_x2',
  'box_y2',
  'nearest_reference',
  'threshold',
  'model',
  'metric',
  'problem',
] as const;

/**
 * RFC 4180 quoting, plus a guard against spreadsheet formula injection: a file name such as
 * `=HYPERLINK(…).jpg` would otherwise run as a formula when the CSV is opened.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(data: VerificationExport): string {
  const common = [data.threshold, data.model, data.metric] as const;
  const rows: (string | number | null)[][] = [];
  for (const photo of data.photos) {
    const problem = photo.problem?.message ?? null;
    if (photo.faces.length === 0) {
      rows.push([
        photo.file,
        photo.result,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        ...common,
        problem,
      ]);
      continue;
    }
    for (const f of photo.faces) {
      rows.push([
        photo.file,
        photo.result,
        f.face,
        f.distance,
        f.verdict,
        f.detectionScore,
        ...f.box,
        f.nearestReference,
        ...common,
        problem,
      ]);
    }
  }
  // CRLF line ends, as RFC 4180 and spreadsheet imports expect.
  return `${[CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
