/** The whole `npm run bench` result: printed as JSON, summarised as Markdown, saved under bench-results/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DetectorLevers, GalleryReport } from '../../bench/protocol.ts';
import type { BackendRuns } from './browser-bench.ts';
import type { MachineInfo } from './machine.ts';
import { toMarkdown } from './markdown.ts';
import type { NodeBenchReport } from './node-pipeline.ts';
import type { BackendSummary } from './summary.ts';
import type { TargetRow } from './targets.ts';

export interface BenchReport {
  readonly meta: {
    readonly date: string;
    readonly machine: MachineInfo;
    readonly loadAverageAtEnd: number;
    readonly chromium: string | null;
    readonly photos: readonly string[];
    readonly categories: readonly string[];
    readonly rounds: number;
    readonly passes: number;
    readonly stages: boolean;
    readonly wasmThreadsRequested: number | null;
    readonly peerWasmThreadsRequested: number | null;
    /** FaceCheck ran with its second engine (docs/offload.md) where it applies (WASM, CPU). */
    readonly secondEngine: boolean;
    /** FaceCheck detector levers under test (null = the app's defaults). */
    readonly detector: DetectorLevers;
    readonly durationS: number;
  };
  readonly backends: readonly BackendSummary[];
  readonly gallery: readonly GalleryReport[];
  readonly galleryNode: readonly GalleryReport[];
  readonly node: NodeBenchReport | null;
  readonly targets: readonly TargetRow[];
  readonly errors: readonly string[];
}

/** Writes bench-<stamp>.md, bench-<stamp>.json (with every raw run) and latest.md; returns the .md path. */
export async function writeReportFiles(
  outDir: string,
  report: BenchReport,
  raw: readonly BackendRuns[],
): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const stamp = report.meta.date.replace(/[:.]/g, '-');
  const markdown = toMarkdown(report);
  const mdPath = join(outDir, `bench-${stamp}.md`);
  await writeFile(mdPath, markdown);
  await writeFile(join(outDir, 'latest.md'), markdown);
  await writeFile(join(outDir, `bench-${stamp}.json`), `${JSON.stringify({ ...report, raw }, null, 2)}\n`);
  return mdPath;
}
