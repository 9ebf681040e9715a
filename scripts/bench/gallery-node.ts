/** The gallery search benchmark (bench/gallery-search.ts) in Node, on tfjs WASM and CPU. */

import { runGalleryBenchmark } from '../../bench/gallery-search.ts';
import type { GalleryBenchOptions, GalleryReport } from '../../bench/protocol.ts';
import { initNodeBackend, type NodeBackend } from '../../src/cli/backend.ts';

export async function benchGalleryNode(
  backend: NodeBackend,
  options: GalleryBenchOptions,
): Promise<GalleryReport> {
  const active = await initNodeBackend(backend);
  if (active !== backend) throw new Error(`Node backend ${backend} did not start (got ${active})`);
  return { backend, ...(await runGalleryBenchmark(options)) };
}
