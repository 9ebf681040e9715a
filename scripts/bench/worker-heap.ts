/**
 * JS heap of the bench worker, through the DevTools protocol: `performance.memory` does not exist in
 * workers, so the runner attaches to the worker's target and asks V8 after a full GC (live objects
 * only, so before/after numbers are comparable). The WASM heap is not part of it: see tf-memory.ts.
 *
 * A heap snapshot then splits off V8's compiled code: over a long batch V8 keeps optimising more of
 * the pipeline's hot functions, so the code grows for hundreds of photos and then levels off (a Node
 * snapshot diff over 500 photos: +308 KB of code and +44 KB of V8's weak lists, no other kind of
 * object). A leak shows in the objects, so the heap target is checked on them (docs/benchmarks.md).
 */
import type { Browser } from 'playwright-core';

export interface HeapUsage {
  readonly usedBytes: number;
  readonly totalBytes: number;
  /** Of usedBytes, V8's compiled code (snapshot nodes of type "code"). */
  readonly codeBytes: number;
}

interface HeapSnapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[]] } };
  readonly nodes: number[];
}

/** Bytes held by snapshot nodes of type "code". */
export function codeBytesOf(snapshot: HeapSnapshot): number {
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeField = fields.indexOf('type');
  const sizeField = fields.indexOf('self_size');
  const code = typeNames.indexOf('code');
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    if (snapshot.nodes[i + typeField] === code) bytes += snapshot.nodes[i + sizeField] as number;
  }
  return bytes;
}

interface TargetInfo {
  readonly targetId: string;
  readonly type: string;
  readonly url: string;
}

/** Heap of the (only) live worker whose script URL contains `scriptPart`, under `origin`. */
export async function workerHeap(browser: Browser, origin: string, scriptPart: string): Promise<HeapUsage> {
  const heap = await optionalWorkerHeap(browser, origin, scriptPart);
  if (heap === null) throw new Error(`no worker matching ${scriptPart} under ${origin}`);
  return heap;
}

/** workerHeap, or null when no such worker runs (FaceCheck's second engine off WASM/CPU). */
export async function optionalWorkerHeap(
  browser: Browser,
  origin: string,
  scriptPart: string,
): Promise<HeapUsage | null> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
    const target = targetInfos.find(
      (t) => t.type === 'worker' && t.url.startsWith(origin) && t.url.includes(scriptPart),
    );
    if (target === undefined) return null;
    const { sessionId } = (await cdp.send('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: false,
    })) as {
      sessionId: string;
    };
    // Non-flat sessions talk through Target.sendMessageToTarget; answers arrive as events.
    let nextId = 0;
    const pending = new Map<number, (result: unknown) => void>();
    const chunks: string[] = [];
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as {
        id?: number;
        method?: string;
        params?: { chunk?: string };
        result?: unknown;
        error?: { message: string };
      };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params?.chunk ?? '');
      if (message.id === undefined) return;
      const done = pending.get(message.id);
      pending.delete(message.id);
      done?.(message.error === undefined ? message.result : new Error(message.error.message));
    });
    const call = (method: string, params: object = {}) =>
      new Promise<unknown>((done, fail) => {
        const id = ++nextId;
        pending.set(id, (result) => (result instanceof Error ? fail(result) : done(result)));
        cdp
          .send('Target.sendMessageToTarget', {
            sessionId,
            message: JSON.stringify({ id, method, params }),
          })
          .catch(fail);
      });
    await call('HeapProfiler.collectGarbage');
    const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const codeBytes = codeBytesOf(JSON.parse(chunks.join('')) as HeapSnapshot);
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize, codeBytes };
  } finally {
    await cdp.detach().catch(() => {});
  }
}
