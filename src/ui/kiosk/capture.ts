/**
 * One capture: the current preview frame goes to the worker, and the result is judged by the same
 * guidance rules as the live preview (plus the liveness check when it is on) before the store
 * enrols or verifies it. A refused capture's face data is zeroed at once.
 */
import { transfer } from 'comlink';
import type { KioskStore } from '../../state/kiosk-store.ts';
import type { EngineClient } from '../../worker/client.ts';
import type { KioskCapture } from '../../worker/kiosk-analysis.ts';
import { GUIDANCE_RULES, guidanceFor } from './guidance.ts';

function wipe(capture: KioskCapture): void {
  capture.face?.embedding.fill(0);
  capture.face?.crop.rgba.fill(0);
}

export async function captureFace(
  video: HTMLVideoElement,
  client: EngineClient,
  store: KioskStore,
): Promise<void> {
  const { settings, startCapture, acceptFace, refuse } = store.getState();
  const session = startCapture();
  try {
    const frame = await createImageBitmap(video);
    // Through `call`: if the engine dies meanwhile this rejects (and the kiosk shows its error)
    // instead of waiting forever.
    const capture = await client.call((api) =>
      api.captureFace(transfer(frame, [frame]), {
        embedder: settings.embedder,
        liveness: settings.liveness,
        minScore: GUIDANCE_RULES.minScore,
      }),
    );
    const guidance = guidanceFor(capture);
    if (guidance.kind !== 'ok' || capture.face === null) {
      wipe(capture);
      refuse(session, { kind: 'guidance', guidance });
    } else if (capture.liveness !== null && !capture.liveness.passed) {
      wipe(capture);
      refuse(session, { kind: 'liveness', liveness: capture.liveness });
    } else {
      acceptFace(session, capture.face, capture.liveness);
    }
  } catch (error) {
    refuse(session, { kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
