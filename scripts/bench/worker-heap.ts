/**
 * JS heap of the bench worker, through the DevTools protocol: `performance.memory` does not exist in
 * workers, so the runner attaches to the worker's target and asks V8 after a full GC (live objects
 * only, so before/after numbers are comparable). The WASM heap is not part of it: see tf-memory.ts.
 */
import type { Browser } from 'playwright-core';

export interface HeapUsage {
  readonly usedBytes: number;
  readonly totalBytes: number;
}

interface TargetInfo {
  readonly targetId: string;
  readonly type: string;
  readonly url: string;
}

/** Heap of the (only) live worker whose script URL contains `scriptPart`, under `origin`. */
export async function workerHeap(browser: Browser, origin: string, scriptPart: string): Promise<HeapUsage> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
    const target = targetInfos.find(
      (t) => t.type === 'worker' && t.url.startsWith(origin) && t.url.includes(scriptPart),
    );
    if (target === undefined) throw new Error(`no worker matching ${scriptPart} under ${origin}`);
    const { sessionId } = (await cdp.send('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: false,
    })) as {
      sessionId: string;
    };
    // Non-flat sessions talk through Target.sendMessageToTarget; answers arrive as events.
    let nextId = 0;
    const pending = new Map<number, (result: unknown) => void>();
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id === undefined) return;
      const done = pending.get(message.id);
      pending.delete(message.id);
      done?.(message.error === undefined ? message.result : new Error(message.error.message));
    });
    const call = (method: string) =>
      new Promise<unknown>((done, fail) => {
        const id = ++nextId;
        pending.set(id, (result) => (result instanceof Error ? fail(result) : done(result)));
        cdp
          .send('Target.sendMessageToTarget', {
            sessionId,
            message: JSON.stringify({ id, method, params: {} }),
          })
          .catch(fail);
      });
    await call('HeapProfiler.collectGarbage');
    const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
  } finally {
    await cdp.detach().catch(() => {});
  }
}
