/** Builds the bench page (bench/vite.config.ts) into a fresh temporary folder; returns its path. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { projectRoot } from './photos.ts';

export async function buildBenchPage(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'facecheck-bench-'));
  await build({
    configFile: join(projectRoot, 'bench/vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'error',
  });
  return outDir;
}
