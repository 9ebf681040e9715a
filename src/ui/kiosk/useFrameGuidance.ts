/**
 * Live guidance: while the preview runs, sends a frame to the worker, waits for its boxes and
 * luminance, turns them into guidance, pauses briefly and repeats. One frame in flight at a time, so
 * a slow machine inspects less often instead of queueing frames.
 */
import { transfer } from 'comlink';
import { useEffect, useState } from 'react';
import type { EngineClient } from '../../worker/client.ts';
import type { FrameInspection } from '../../worker/kiosk-analysis.ts';
import { type Guidance, guidanceFor } from './guidance.ts';

/** Pause between inspections: enough for the UI to stay smooth on two cores. */
const PAUSE_MS = 150;

export interface LiveGuidance {
  readonly inspection: FrameInspection;
  readonly guidance: Guidance;
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind either way. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = window.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export const hasFrame = (video: HTMLVideoElement) =>
  video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0;

export function useFrameGuidance(
  video: HTMLVideoElement | null,
  enabled: boolean,
  client: EngineClient,
): LiveGuidance | null {
  const [live, setLive] = useState<LiveGuidance | null>(null);

  useEffect(() => {
    setLive(null);
    if (!enabled || video === null) return;
    const stop = new AbortController();
    const loop = async () => {
      while (!stop.signal.aborted) {
        if (hasFrame(video)) {
          try {
            const frame = await createImageBitmap(video);
            const inspection = await client.call((api) => api.inspectFrame(transfer(frame, [frame])));
            if (!stop.signal.aborted) setLive({ inspection, guidance: guidanceFor(inspection) });
          } catch (error) {
            // A frame the browser could not copy (the stream just started or stopped) is skipped.
            if (!(error instanceof DOMException && error.name === 'InvalidStateError')) {
              console.warn('kiosk: frame inspection failed', error);
            }
          }
        }
        await pause(PAUSE_MS, stop.signal);
      }
    };
    void loop();
    return () => stop.abort();
  }, [video, enabled, client]);

  return live;
}
