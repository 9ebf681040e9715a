/**
 * The kiosk's whole memory: which step the visitor is at, the reference face they enrolled and the
 * last verdict. It lives in this store only — never in IndexedDB, localStorage or any other
 * storage — and `reset` (the idle timeout, "Finish") wipes it: embeddings and face pixels are
 * zeroed before they are dropped, and work still running for the previous visitor is discarded
 * when it returns.
 */
import { createStore, type StoreApi } from 'zustand';
import { distance } from '../pipeline/vector-distance.ts';
import type { Guidance } from '../ui/kiosk/guidance.ts';
import type { KioskSettings } from '../ui/kiosk/kiosk-settings.ts';
import type { FaceCrop } from '../worker/api.ts';
import type { CapturedFace, LivenessResult } from '../worker/kiosk-analysis.ts';
import { defaultThreshold, metricOf, type Verdict, verdictOf } from './scoring.ts';

export interface KioskFace {
  readonly embedding: Float32Array;
  readonly crop: FaceCrop;
  readonly liveness: LivenessResult | null;
}

export interface KioskVerdict {
  readonly probe: KioskFace;
  readonly distance: number;
  readonly threshold: number;
  readonly verdict: Verdict;
}

/** Why a captured frame was not used. */
export type CaptureProblem =
  | { readonly kind: 'guidance'; readonly guidance: Guidance }
  | { readonly kind: 'liveness'; readonly liveness: LivenessResult }
  | { readonly kind: 'failed'; readonly message: string };

export type CaptureAttempt =
  | { readonly kind: 'live' }
  | { readonly kind: 'analysing' }
  | { readonly kind: 'refused'; readonly problem: CaptureProblem };

export type KioskStep =
  | { readonly kind: 'start' }
  | { readonly kind: 'enroll'; readonly attempt: CaptureAttempt }
  | { readonly kind: 'verify'; readonly reference: KioskFace; readonly attempt: CaptureAttempt }
  | { readonly kind: 'result'; readonly reference: KioskFace; readonly result: KioskVerdict };

export interface KioskState {
  readonly settings: KioskSettings;
  readonly step: KioskStep;
  /** Bumped by every reset; a capture started in an earlier session is ignored when it returns. */
  readonly session: number;
  /** How many resets so far (idle or "Finish"); for the test hook and the operator's curiosity. */
  readonly resets: number;

  begin(): void;
  /** Marks the current capture step as analysing; returns the session the capture belongs to. */
  startCapture(): number;
  /** A good face for the current step: enrols it, or verifies it against the reference. */
  acceptFace(session: number, face: CapturedFace, liveness: LivenessResult | null): void;
  refuse(session: number, problem: CaptureProblem): void;
  /** Back to the live camera after a refusal. */
  retry(): void;
  /** From a verdict, another verification against the same reference. */
  verifyAgain(): void;
  /** Wipes everything and returns to the start screen. */
  reset(): void;
}

export type KioskStore = StoreApi<KioskState>;

/** Overwrites a face's numbers and pixels, so nothing readable survives until garbage collection. */
function wipe(face: KioskFace | undefined): void {
  face?.embedding.fill(0);
  face?.crop.rgba.fill(0);
}

function facesOf(step: KioskStep): KioskFace[] {
  switch (step.kind) {
    case 'start':
    case 'enroll':
      return [];
    case 'verify':
      return [step.reference];
    case 'result':
      return [step.reference, step.result.probe];
  }
}

const toFace = (face: CapturedFace, liveness: LivenessResult | null): KioskFace => ({
  embedding: face.embedding,
  crop: face.crop,
  liveness,
});

export function createKioskStore(settings: KioskSettings): KioskStore {
  return createStore<KioskState>()((set, get) => {
    /** Replaces the current attempt of a capture step; other steps have none. */
    const setAttempt = (attempt: CaptureAttempt) => {
      const { step } = get();
      if (step.kind === 'enroll') set({ step: { kind: 'enroll', attempt } });
      else if (step.kind === 'verify') set({ step: { ...step, attempt } });
    };

    return {
      settings,
      step: { kind: 'start' },
      session: 0,
      resets: 0,

      begin() {
        if (get().step.kind === 'start') set({ step: { kind: 'enroll', attempt: { kind: 'live' } } });
      },

      startCapture() {
        setAttempt({ kind: 'analysing' });
        return get().session;
      },

      acceptFace(session, captured, liveness) {
        const face = toFace(captured, liveness);
        const { step } = get();
        const current = session === get().session && (step.kind === 'enroll' || step.kind === 'verify');
        if (!current || step.attempt.kind !== 'analysing') {
          wipe(face); // finished after a reset (or a second tap): this face belongs to nobody now
          return;
        }
        if (step.kind === 'enroll') {
          set({ step: { kind: 'verify', reference: face, attempt: { kind: 'live' } } });
          return;
        }
        const { embedder } = get().settings;
        const d = distance(step.reference.embedding, face.embedding, metricOf(embedder));
        const threshold = defaultThreshold(embedder);
        set({
          step: {
            kind: 'result',
            reference: step.reference,
            result: { probe: face, distance: d, threshold, verdict: verdictOf(d, threshold) },
          },
        });
      },

      refuse(session, problem) {
        if (session === get().session) setAttempt({ kind: 'refused', problem });
      },

      retry() {
        setAttempt({ kind: 'live' });
      },

      verifyAgain() {
        const { step } = get();
        if (step.kind !== 'result') return;
        wipe(step.result.probe);
        set({ step: { kind: 'verify', reference: step.reference, attempt: { kind: 'live' } } });
      },

      reset() {
        for (const face of facesOf(get().step)) wipe(face);
        set({ step: { kind: 'start' }, session: get().session + 1, resets: get().resets + 1 });
      },
    };
  });
}
