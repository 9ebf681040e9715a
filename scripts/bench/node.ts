/**
 * `npm run bench:node`: FaceCheck's pipeline on tfjs WASM in Node over the benchmark photos;
 * prints JSON. Flags: --photos N, --categories groups,people,bbt, --backend wasm|cpu, --no-stages,
 * and the detector levers --max-detection-side, --min-face-size, --min-face-fraction, --max-proposals
 * (see npm run bench -- --help).
 */
import { parseArgs } from 'node:util';
import { type DetectorLevers, parseLever } from '../../bench/protocol.ts';
import { log, messageOf, ms } from './log.ts';
import { benchNode } from './node-pipeline.ts';
import { hasPhotos, listPhotos, PHOTO_CATEGORIES, type PhotoCategory, SHARED_MISSING } from './photos.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      photos: { type: 'string' },
      categories: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      'no-stages': { type: 'boolean', default: false },
      'max-detection-side': { type: 'string' },
      'min-face-size': { type: 'string' },
      'min-face-fraction': { type: 'string' },
      'max-proposals': { type: 'string' },
    },
  });
  if (!hasPhotos()) {
    log(`SKIP: ${SHARED_MISSING}`);
    return 0;
  }
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'cpu')
    throw new Error(`--backend must be wasm or cpu, got ${backend}`);
  const limit = values.photos === undefined ? null : Number(values.photos);
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1))
    throw new Error('--photos must be an integer ≥ 1');
  const categories = (values.categories?.split(',') ?? [...PHOTO_CATEGORIES]) as PhotoCategory[];
  const photos = await listPhotos(limit, categories);
  log(`Node ${process.version}, tfjs ${backend}: ${photos.length} photos`);
  const detector: DetectorLevers = {
    maxDetectionSide: parseLever('--max-detection-side', values['max-detection-side']),
    minFaceSize: parseLever('--min-face-size', values['min-face-size']),
    minFaceFraction: parseLever('--min-face-fraction', values['min-face-fraction']),
    maxProposals: parseLever('--max-proposals', values['max-proposals']),
  };
  const report = await benchNode(photos, { backend, stages: !values['no-stages'], detector });
  log(
    `models ready ${ms(report.modelsReadyMs)}, first ${ms(report.firstResultMs)}, per photo ${ms(report.perPhotoMs.median)}, ${report.photosPerSecond} photos/s`,
  );
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench:node failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
