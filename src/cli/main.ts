/**
 * facecheck — the recognition pipeline from a terminal (Node, tfjs WASM backend or CPU).
 *
 *   facecheck detect <images…> [--json] [--draw out/]
 *   facecheck verify --reference <img> [--reference <img>…] <images…> [--model id] [--threshold t]
 *                    [--metric m] [--reference-faces largest|all] [--json]
 *   facecheck identify --gallery <dir: one folder per person> <images…> [--top k] [--json]
 *   facecheck pairs --pairs <csv: file_x,file_y,label> --root <dir> | --folders <dir> [--aligned]
 *   facecheck embed <images…> [--no-detect] [--json]
 *   facecheck import-model <file.h5> [--float16] [--models-dir <dir>]
 *
 * Common: --model mobilefacenet|facerecognitionnet|<imported id>, --tta / --no-tta, --backend wasm|cpu.
 * Directories given as images expand to the images inside them. Every file that cannot be read or
 * holds no face gets its own line with the reason and the run goes on.
 * Exit code: 0 every file analysed with ≥ 1 face; 1 some file failed or held no face; 2 usage or
 * setup error.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_EMBEDDER,
  EMBEDDER_IDS,
  IMPORTED_EMBEDDER_IDS,
  isEmbedderId,
  isImportedEmbedderId,
} from '../models/embedders.ts';
import { isDistanceMetric } from '../pipeline/distance.ts';
import { createEmbedder } from '../pipeline/embedders/create.ts';
import type { AnyEmbedder } from '../pipeline/embedders/embedder.ts';
import { indexVerifiedReader } from '../pipeline/models/verified-reader.ts';
import type { InputMode } from './analyze.ts';
import { initNodeBackend } from './backend.ts';
import { type CommandContext, runDetect, runEmbed, runIdentify, runPairs, runVerify } from './commands.ts';
import { type CliDetector, loadDetector } from './detector.ts';
import { modelFileReader } from './files.ts';
import { createImportedEmbedder, DEFAULT_MODELS_DIR, runImportModel } from './import-model.ts';

const USAGE = `Usage: facecheck <command> [options] <images…>

Commands:
  detect    <images…> [--json] [--draw <out dir>]
  verify    --reference <img> [--reference <img>…] <images…> [--threshold t] [--metric m]
            [--reference-faces largest|all] [--json]
  identify  --gallery <dir with one folder per person> <images…> [--top k] [--threshold t] [--json]
  pairs     --pairs <csv: file_x,file_y,label> [--root <dir>]  |  --folders <dir> [--aligned]
  embed     <images…> [--no-detect] [--json]
  import-model <file.h5> [--float16]    convert a keras-vggface .h5 into <models dir>/<id>/

Options:
  --model <id>        ${EMBEDDER_IDS.join(' | ')} (default ${DEFAULT_EMBEDDER}),
                      or an imported ${IMPORTED_EMBEDDER_IDS.join(' | ')}
  --face-crop <c>     imported models: box (the recipe: detector box resized, default) | aligned
  --models-dir <dir>  where imported models are written and read (default public/models)
  --float16           import-model: store weights as float16 (half the size)
  --metric <m>        cosine | euclidean | euclidean-l2 (default: the model's)
  --threshold <t>     decision distance (default: the model's calibrated threshold)
  --tta, --no-tta     horizontal-flip test-time augmentation (default: the model's)
  --min-score <s>     ignore detections scoring below s (default: keep all the detector returns)
  --pad <px>          black border added before detection (tight face crops), default 0
  --backend <b>       wasm | cpu (default wasm, falls back to cpu)
  --json              machine-readable output
  -h, --help

Exit code: 0 all files analysed with a face, 1 some file failed or had no face, 2 usage/setup error.`;

class UsageError extends Error {}

const COMMANDS = ['detect', 'verify', 'identify', 'pairs', 'embed', 'import-model'] as const;
type Command = (typeof COMMANDS)[number];

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      reference: { type: 'string', multiple: true },
      ref: { type: 'string', multiple: true },
      'reference-faces': { type: 'string' },
      gallery: { type: 'string' },
      top: { type: 'string' },
      pairs: { type: 'string' },
      root: { type: 'string' },
      folders: { type: 'string' },
      aligned: { type: 'boolean' },
      'no-detect': { type: 'boolean' },
      float16: { type: 'boolean' },
      'models-dir': { type: 'string' },
      'face-crop': { type: 'string' },
      model: { type: 'string' },
      metric: { type: 'string' },
      threshold: { type: 'string' },
      tta: { type: 'boolean' },
      'no-tta': { type: 'boolean' },
      backend: { type: 'string' },
      draw: { type: 'string' },
      'min-score': { type: 'string' },
      pad: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { values, positionals };
}

function parseNumber(
  name: string,
  raw: string | undefined,
  check: (x: number) => boolean,
): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!Number.isFinite(x) || !check(x))
    throw new UsageError(`--${name} must be a valid number, got "${raw}"`);
  return x;
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...inputs] = positionals;
  if (values.help === true || command === undefined) {
    console.log(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  let embedder: AnyEmbedder | null = null;
  let detector: CliDetector | null = null;
  try {
    if (!(COMMANDS as readonly string[]).includes(command))
      throw new UsageError(`unknown command "${command}"`);
    const cmd = command as Command;
    const modelsDir = values['models-dir'] ?? DEFAULT_MODELS_DIR;
    if (cmd === 'import-model') {
      const [file, ...extra] = inputs;
      if (file === undefined || extra.length > 0)
        throw new UsageError('import-model needs exactly one .h5 file');
      return await runImportModel(file, {
        storage: values.float16 === true ? 'float16' : 'float32',
        modelsDir,
        json: values.json === true,
      });
    }
    const modelId = values.model ?? DEFAULT_EMBEDDER;
    if (!isEmbedderId(modelId) && !isImportedEmbedderId(modelId))
      throw new UsageError(
        `unknown --model "${modelId}" (${[...EMBEDDER_IDS, ...IMPORTED_EMBEDDER_IDS].join(', ')})`,
      );
    const faceCrop = values['face-crop'] ?? 'box';
    if (faceCrop !== 'box' && faceCrop !== 'aligned')
      throw new UsageError('--face-crop must be box or aligned');
    if (values.metric !== undefined && !isDistanceMetric(values.metric))
      throw new UsageError(`unknown --metric "${values.metric}"`);
    if (values.tta === true && values['no-tta'] === true)
      throw new UsageError('--tta and --no-tta exclude each other');
    const threshold = parseNumber('threshold', values.threshold, (x) => x >= 0);
    const minScore = parseNumber('min-score', values['min-score'], (x) => x >= 0 && x <= 1);
    const detectPadding = parseNumber('pad', values.pad, (x) => Number.isInteger(x) && x >= 0);
    const top = parseNumber('top', values.top, (x) => Number.isInteger(x) && x >= 1);
    const referenceFaces = values['reference-faces'] ?? 'largest';
    if (referenceFaces !== 'largest' && referenceFaces !== 'all')
      throw new UsageError('--reference-faces must be largest or all');
    const backendName = values.backend ?? 'wasm';
    if (backendName !== 'wasm' && backendName !== 'cpu')
      throw new UsageError('--backend must be wasm or cpu');

    const mode: InputMode =
      cmd === 'embed' && values['no-detect'] === true
        ? 'whole'
        : cmd === 'pairs' && values.aligned === true
          ? 'aligned'
          : 'detect';
    const backend = await initNodeBackend(backendName);
    // Checked against index.json: a damaged model file is named with the fix, not loaded as garbage.
    const read = indexVerifiedReader(modelFileReader());
    const flipTta = values.tta === true ? true : values['no-tta'] === true ? false : undefined;
    if (isImportedEmbedderId(modelId) && flipTta !== undefined)
      throw new UsageError('--tta / --no-tta apply to the shipped models only (the recipe uses no flip)');
    if (cmd !== 'detect') {
      embedder = isImportedEmbedderId(modelId)
        ? await createImportedEmbedder(modelId, modelsDir, faceCrop)
        : await createEmbedder(modelId, read, flipTta === undefined ? {} : { flipTta });
    }
    if (mode === 'detect') detector = await loadDetector(read);
    const ctx: CommandContext = {
      backend,
      embedder,
      detector,
      mode,
      json: values.json === true,
      metric: values.metric !== undefined && isDistanceMetric(values.metric) ? values.metric : undefined,
      threshold,
      minScore,
      detectPadding,
    };
    switch (cmd) {
      case 'detect':
        if (inputs.length === 0) throw new UsageError('detect needs at least one image');
        return await runDetect(ctx, inputs, values.draw);
      case 'embed':
        if (inputs.length === 0) throw new UsageError('embed needs at least one image');
        return await runEmbed(ctx, inputs);
      case 'verify': {
        const refs = [...(values.reference ?? []), ...(values.ref ?? [])];
        if (refs.length === 0) throw new UsageError('verify needs --reference <image> (one or more)');
        if (inputs.length === 0) throw new UsageError('verify needs images to check');
        return await runVerify(ctx, refs, inputs, referenceFaces);
      }
      case 'identify':
        if (values.gallery === undefined) throw new UsageError('identify needs --gallery <dir>');
        if (inputs.length === 0) throw new UsageError('identify needs images to identify');
        return await runIdentify(ctx, values.gallery, inputs, top ?? 3);
      case 'pairs':
        if ((values.pairs === undefined) === (values.folders === undefined)) {
          throw new UsageError('pairs needs exactly one of --pairs <csv> or --folders <dir>');
        }
        return await runPairs(ctx, { pairs: values.pairs, root: values.root, folders: values.folders });
      default:
        throw new UsageError(`unknown command "${cmd satisfies never}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`facecheck: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    embedder?.dispose();
    detector?.dispose();
  }
}

const entry = process.argv[1];
const isEntry = entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href;
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
