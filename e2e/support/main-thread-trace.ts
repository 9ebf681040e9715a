/**
 * The page's main-thread tasks from a Chrome trace (Playwright's `browser.startTracing`), with the
 * CPU time each one really used (`tdur`, thread time) beside its wall-clock duration.
 *
 * Why both: the Long Tasks API measures wall-clock time. On a 2-core machine without a GPU, the
 * inference worker holds one core and Chromium's GL emulation (SwiftShader, in the GPU process)
 * much of the other, so a task doing 20 ms of work can take 80–170 ms of wall time while it waits
 * for a core. Thread time is the work the app put on its main thread, which is what it controls.
 */

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

export interface MainThreadTask {
  /** Microseconds on the trace clock. */
  readonly startUs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The heaviest events inside it (name and wall ms), for the report. */
  readonly inside: string;
}

const TASK = 'ThreadControllerImpl::RunTask';
/** Work the test itself asks for over the DevTools protocol (Playwright's evaluate, locators). */
const HARNESS = 'EvaluateScript';

/** Top-level tasks of the busiest renderer main thread, test-harness evaluations left out. */
export function mainThreadTasks(traceJson: string): MainThreadTask[] {
  const parsed = JSON.parse(traceJson) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || !mains.has(key)) continue;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const [busiest = []] = [...byThread.values()].sort(
    (a, b) => b.filter((e) => e.name === TASK).length - a.filter((e) => e.name === TASK).length,
  );
  busiest.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

  const tasks: MainThreadTask[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < busiest.length; i++) {
    const task = busiest[i] as TraceEvent;
    if (task.name !== TASK || task.ts < end) continue; // nested tasks belong to their parent
    end = task.ts + (task.dur ?? 0);
    const inside: TraceEvent[] = [];
    for (let j = i + 1; j < busiest.length && (busiest[j] as TraceEvent).ts < end; j++) {
      inside.push(busiest[j] as TraceEvent);
    }
    if (inside.some((e) => e.name === HARNESS)) continue;
    const heaviest = inside
      .filter((e) => e.name !== TASK)
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 4)
      .map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)}`)
      .join(', ');
    tasks.push({
      startUs: task.ts,
      wallMs: (task.dur ?? 0) / 1000,
      cpuMs: (task.tdur ?? task.dur ?? 0) / 1000,
      inside: heaviest,
    });
  }
  return tasks;
}
