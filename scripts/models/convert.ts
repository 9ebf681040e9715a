/**
 * `npm run models` (and every `npm install`): turns the pinned npm model files into TensorFlow.js
 * artifacts under public/models/<id>/ and writes public/models/index.json.
 *
 * Every source file is checked by sha256 first. Outputs are deterministic, so deleting
 * public/models and running this again restores them byte for byte. When the sources and this
 * converter are unchanged and every artifact still hashes as recorded, it does nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ArtifactFile,
  MODEL_IDS,
  MODEL_SPECS,
  type ModelId,
  type ModelIndex,
  type ModelSpec,
  type NpmSource,
  type PinnedFile,
} from '../../src/models/specs.ts';
import { readTfliteModel } from './tflite-schema.ts';
import { convertTflite } from './tflite-to-graph.ts';
import { serializeGraphModel } from './write-graph-model.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
/** `--out DIR` writes elsewhere (the determinism test uses it); default public/models. */
const outFlag = process.argv.indexOf('--out');
const outRoot = outFlag >= 0 ? resolve(process.argv[outFlag + 1] ?? '') : join(root, 'public/models');
const STAMP = join(outRoot, '.stamp');

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

class SourceError extends Error {}

/** Reads a pinned file from an installed package, refusing anything that is not byte-identical. */
function readPinned(source: NpmSource, file: PinnedFile): Uint8Array {
  const pkgDir = join(root, 'node_modules', source.package);
  const pkgJson = join(pkgDir, 'package.json');
  if (!existsSync(pkgJson)) {
    throw new SourceError(
      `${source.package} is not installed: run \`npm install\` (it is a pinned devDependency).`,
    );
  }
  const installed = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  if (installed !== source.version) {
    throw new SourceError(
      `${source.package} is ${installed}, but FaceCheck pins ${source.version}: run \`npm ci\`.`,
    );
  }
  const path = join(pkgDir, file.path);
  if (!existsSync(path)) throw new SourceError(`${source.package}@${source.version} has no ${file.path}.`);
  const bytes = new Uint8Array(readFileSync(path));
  const actual = sha256(bytes);
  if (actual !== file.sha256) {
    throw new SourceError(
      `sha256 mismatch for ${source.package}@${source.version}/${file.path}:\n  expected ${file.sha256}\n  actual   ${actual}\nRefusing to convert a model that is not the pinned one. Reinstall with \`npm ci\`.`,
    );
  }
  return bytes;
}

/** Produces the artifacts of one model as file name → bytes. */
function buildArtifacts(id: ModelId, spec: ModelSpec): Map<string, Uint8Array> {
  if (spec.format === 'tfjs-weights') {
    const [manifest, ...shards] = spec.files;
    if (!manifest) throw new Error(`${id}: no manifest listed`);
    const files = new Map<string, Uint8Array>([['weights_manifest.json', readPinned(spec.source, manifest)]]);
    for (const shard of shards)
      files.set(shard.path.split('/').pop() ?? shard.path, readPinned(spec.source, shard));
    return files;
  }
  const tflite = readTfliteModel(readPinned(spec.source, spec.file));
  const converted = convertTflite(tflite, {
    transposeSpatial: spec.transposeSpatial,
    inputShape: spec.inputShape,
  });
  for (const output of Object.values(spec.outputs)) {
    if (!converted.outputNames.includes(output)) {
      throw new Error(
        `${id}: output ${output} not in the converted graph (${converted.outputNames.join(', ')})`,
      );
    }
  }
  console.log(`  ${id}: ${converted.stats.tfliteOps} tflite ops → ${converted.stats.graphOps} graph ops`);
  return serializeGraphModel(converted, {
    generatedBy: `${spec.source.package}@${spec.source.version}/${spec.file.path}`,
    transposeSpatial: spec.transposeSpatial,
  });
}

/** A key over everything that determines the outputs: sources, converter code and specs. */
function inputsKey(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()) {
    hash.update(file).update(readFileSync(join(here, file)));
  }
  hash.update(readFileSync(join(root, 'src/models/specs.ts')));
  return hash.digest('hex');
}

function upToDate(key: string): boolean {
  if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8').trim() !== key) return false;
  const indexPath = join(outRoot, 'index.json');
  if (!existsSync(indexPath)) return false;
  const index: ModelIndex = JSON.parse(readFileSync(indexPath, 'utf8'));
  return MODEL_IDS.every((id) =>
    index.models[id]?.files.every((f) => {
      const path = join(outRoot, id, f.name);
      return existsSync(path) && sha256(readFileSync(path)) === f.sha256;
    }),
  );
}

function main() {
  const started = performance.now();
  const key = inputsKey();
  if (!process.argv.includes('--force') && upToDate(key)) {
    console.log(`models: up to date in public/models (${Math.round(performance.now() - started)} ms)`);
    return;
  }
  console.log('models: converting pinned npm models into public/models');
  const models = {} as Record<ModelId, { title: string; files: ArtifactFile[] }>;
  for (const id of MODEL_IDS) {
    const spec: ModelSpec = MODEL_SPECS[id];
    const artifacts = buildArtifacts(id, spec);
    const dir = join(outRoot, id);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: ArtifactFile[] = [];
    for (const [name, bytes] of artifacts) {
      writeFileSync(join(dir, name), bytes);
      files.push({ name, bytes: bytes.length, sha256: sha256(bytes) });
    }
    models[id] = { title: spec.title, files };
  }
  const version = sha256(JSON.stringify(models)).slice(0, 16);
  const index: ModelIndex = { formatVersion: 1, version, models };
  writeFileSync(join(outRoot, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  writeFileSync(STAMP, `${key}\n`);
  console.log(
    `models: wrote ${MODEL_IDS.length} models to ${outRoot}, version ${version} (${Math.round(performance.now() - started)} ms)`,
  );
}

try {
  main();
} catch (error) {
  console.error(`\nmodels: FAILED — ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
