/** The short Markdown report written to bench-results/ (the JSON on stdout has everything). */
import type { DetectorLevers, GalleryReport, PhotoEngineName } from '../../bench/protocol.ts';
import type { BenchReport } from './report.ts';
import type { BackendSummary, EngineSummary } from './summary.ts';

const ENGINE_TITLES: Readonly<Record<PhotoEngineName, string>> = {
  facecheck: 'FaceCheck (MTCNN + MobileFaceNet)',
  'faceapi-ssd': 'face-api SSD',
  'faceapi-tiny': 'face-api Tiny',
};

const n = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '–' : `${v}${unit}`);

function engineRows(engines: readonly EngineSummary[]): string[] {
  const row = (label: string, cell: (e: EngineSummary) => string) =>
    `| ${label} | ${engines.map(cell).join(' | ')} |`;
  return [
    `| | ${engines.map((e) => ENGINE_TITLES[e.engine]).join(' | ')} |`,
    `|---|${engines.map(() => '---:').join('|')}|`,
    row('cold start, empty cache', (e) => n(e.coldStartMs.emptyCache, ' ms')),
    row('cold start, from cache', (e) => n(e.coldStartMs.fromCache, ' ms')),
    row('ready → settled (background models, warm-up)', (e) => n(e.readyToSettledMs, ' ms')),
    row('of which the warm-up pass', (e) => n(e.warmUpMs, ' ms')),
    row('first result (photo sent once settled)', (e) => n(e.firstResultMs, ' ms')),
    row('per photo, median', (e) => `**${n(e.perPhotoMs.median, ' ms')}**`),
    row('per photo, p90', (e) => n(e.perPhotoMs.p90, ' ms')),
    row('per photo, first sight, median', (e) => n(e.firstSightPerPhotoMs?.median, ' ms')),
    ...Object.keys(engines[0]?.perCategory ?? {}).map((category) =>
      row(`per photo, median, ${category}/ (faces per pass)`, (e) => {
        const c = e.perCategory[category];
        return c === undefined ? '–' : `${n(c.medianMs, ' ms')} (${c.faces})`;
      }),
    ),
    row('photos/s', (e) => n(e.photosPerSecond)),
    row(
      'WASM threads (XNNPACK) × engines',
      (e) => `${n(e.wasmThreads)} × ${e.secondEngine ? '2 (second engine)' : '1'}`,
    ),
    row('faces per pass', (e) => String(e.facesPerPass)),
    row(
      'tensors: settled → first photo → after',
      (e) => `${e.memory.tensorsBefore} → ${e.memory.tensorsWarm} → ${e.memory.tensorsAfter}`,
    ),
    row(
      'worker JS heap (FaceCheck: both engines): settled → first photo → first pass → last pass (MB, after GC)',
      (e) =>
        `${n(e.memory.heapBeforeMB)} → ${n(e.memory.heapWarmMB)} → ${n(e.memory.heapSteadyMB)} → ${n(e.memory.heapAfterMB)}`,
    ),
    row(
      'of which V8 compiled code: settled → last pass (MB)',
      (e) => `${n(e.memory.heapCodeBeforeMB)} → ${n(e.memory.heapCodeAfterMB)}`,
    ),
    row(
      'WASM memory: settled → after (MB)',
      (e) => `${n(e.memory.wasmHeapBeforeMB)} → ${n(e.memory.wasmHeapAfterMB)}`,
    ),
    row(
      'WebGL textures allocated, in use or pooled: settled → after (MB)',
      (e) => `${n(e.memory.gpuTexturesBeforeMB)} → ${n(e.memory.gpuTexturesAfterMB)}`,
    ),
    row(
      'WebGL programs compiled and kept: settled → first photo → after',
      (e) =>
        `${n(e.memory.webglProgramsBefore)} → ${n(e.memory.webglProgramsWarm)} → ${n(e.memory.webglProgramsAfter)}`,
    ),
  ];
}

function stageLine(engine: EngineSummary): string {
  const stages = Object.entries(engine.stageMedianMs)
    .map(([stage, ms]) => `${stage} ${n(ms, ' ms')} (${Math.round((engine.stageShare[stage] ?? 0) * 100)} %)`)
    .join(', ');
  return `- ${ENGINE_TITLES[engine.engine]} stage medians (share of all time): ${stages}`;
}

function backendSection(b: BackendSummary, photos: number): string[] {
  const env = b.environment;
  const facts =
    env === null
      ? ['no run succeeded']
      : [
          env.wasm === null ? null : `SIMD ${env.wasm.simd ? 'yes' : 'no'}, ${env.wasm.threads} thread(s)`,
          `cross-origin isolated ${env.crossOriginIsolated ? 'yes' : 'no'}`,
          env.renderer === null
            ? null
            : `GL renderer "${env.renderer}"${env.isSoftwareRenderer ? ' (software)' : ''}`,
        ].filter((f) => f !== null);
  const engines = Object.values(b.engines);
  const lines = [`### ${b.backend} — ${facts.join(', ')}`, ''];
  if (env?.note) lines.push(`> ${env.note}.`, '');
  if (engines.length > 0) lines.push(...engineRows(engines), '');
  for (const [peer, r] of Object.entries(b.ratios)) {
    lines.push(
      `- FaceCheck ÷ ${ENGINE_TITLES[peer as PhotoEngineName]} (time; < 1 = FaceCheck faster): per-photo median **${n(r.perPhotoMedian)}**, p90 ${n(r.perPhotoP90)}, throughput ${n(r.throughput)}, cold start from cache ${n(r.coldStartFromCache)}; by folder ${Object.entries(
        r.perCategory,
      )
        .map(([c, x]) => `${c} ${n(x)}`)
        .join(', ')}; per round ${r.perRound.map((x) => n(x)).join(' / ')}`,
    );
  }
  for (const e of engines) lines.push(stageLine(e));
  for (const error of b.errors) lines.push(`- ERROR: ${error}`);
  if (b.foreignRequests.length > 0)
    lines.push(`- Requests outside the bench origin: ${b.foreignRequests.join(', ')}`);
  lines.push('', `(${photos} photos per pass.)`, '');
  return lines;
}

function galleryTable(title: string, reports: readonly GalleryReport[]): string[] {
  if (reports.length === 0) return [];
  return [
    `### ${title}`,
    '',
    '| backend | gallery size | nearestNeighbours per call, ms/probe (median) | createGalleryIndex (resident), ms/probe (median) | correct |',
    '|---|---:|---:|---:|---|',
    ...reports.flatMap((r) =>
      r.rows.map(
        (row) =>
          `| ${r.backend} | ${row.size.toLocaleString('en')} | ${row.appMsPerProbe.median.toFixed(2)} | ${row.residentMsPerProbe.median.toFixed(2)} | ${row.correct ? 'yes' : 'NO'} |`,
      ),
    ),
    '',
  ];
}

function levers(d: DetectorLevers): string {
  const set = Object.entries(d).filter(([, v]) => v !== null);
  return set.length === 0
    ? ''
    : `; FaceCheck detector levers: ${set.map(([k, v]) => `${k} ${v}`).join(', ')}`;
}

export function toMarkdown(report: BenchReport): string {
  const { meta } = report;
  const lines = [
    `# FaceCheck benchmark, ${meta.date}`,
    '',
    `Machine: ${meta.machine.cpuModel}, ${meta.machine.logicalCores} logical cores, ${meta.machine.memoryGB} GB, ${meta.machine.platform}; ` +
      `load average ${meta.machine.loadAverageAtStart} at start, ${meta.loadAverageAtEnd} at end ` +
      `(above ${meta.machine.logicalCores} = other jobs shared the CPU). Chromium ${meta.chromium ?? '–'} headless, Node ${meta.machine.node}, commit ${meta.machine.commit ?? '–'}.`,
    '',
    `Photos: ${meta.photos.length} (${meta.categories.join(', ')}), ${meta.rounds} round(s) × ${meta.passes} pass(es) per page load, engines alternated A B A B; per-stage laps ${meta.stages ? 'on' : 'off'}; FaceCheck's second engine on WASM/CPU ${meta.secondEngine ? 'on' : 'off'} (docs/offload.md)${levers(meta.detector)}.`,
    '',
    '## Photo pipelines in Chromium',
    '',
    ...report.backends.flatMap((b) => backendSection(b, meta.photos.length)),
  ];
  if (report.gallery.length > 0 || report.galleryNode.length > 0) {
    lines.push('## Gallery search (top-5, 192-d, one probe per call)', '');
    lines.push(...galleryTable('Chromium', report.gallery), ...galleryTable('Node', report.galleryNode));
  }
  if (report.node !== null) {
    const node = report.node;
    lines.push(
      '## Node (tfjs WASM, CLI path)',
      '',
      `${node.photos} photos: per photo median ${n(node.perPhotoMs.median, ' ms')}, p90 ${n(node.perPhotoMs.p90, ' ms')}, ${n(node.photosPerSecond)} photos/s, first result ${n(node.firstResultMs, ' ms')}; stages ${Object.entries(
        node.stageMedianMs,
      )
        .map(([s, v]) => `${s} ${n(v, ' ms')}`)
        .join(', ')}.`,
      '',
    );
  }
  lines.push('## Targets (issue 8; informational)', '', '| target | measured | status |', '|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.target} | ${t.measured} | ${t.status} |`);
  lines.push('');
  return lines.join('\n');
}
