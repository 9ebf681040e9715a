import { describe, expect, it } from 'vitest';
import { DEFAULT_KIOSK_SETTINGS } from '../ui/kiosk/kiosk-settings.ts';
import type { CapturedFace } from '../worker/kiosk-analysis.ts';
import { createKioskStore } from './kiosk-store.ts';

function captured(direction: number[]): CapturedFace {
  return {
    box: [0, 0, 100, 100],
    embedding: Float32Array.from(direction),
    crop: { width: 2, height: 2, rgba: new Uint8ClampedArray(16).fill(200) },
  };
}

describe('kiosk store', () => {
  it('goes start → enroll → verify → result and scores with the calibrated threshold', () => {
    const store = createKioskStore(DEFAULT_KIOSK_SETTINGS);
    const s = () => store.getState();
    s().begin();
    expect(s().step.kind).toBe('enroll');
    s().acceptFace(s().startCapture(), captured([1, 0, 0]), null);
    expect(s().step.kind).toBe('verify');
    s().acceptFace(s().startCapture(), captured([0.9, 0.1, 0]), null);
    const step = s().step;
    if (step.kind !== 'result') throw new Error(`expected a result, got ${step.kind}`);
    expect(step.result.verdict).toBe('match');
    expect(step.result.threshold).toBeCloseTo(0.6314);
    s().verifyAgain();
    s().acceptFace(s().startCapture(), captured([0, 1, 0]), null);
    const second = s().step;
    expect(second.kind === 'result' && second.result.verdict).toBe('no-match');
  });

  it('reset zeroes every embedding and pixel it held and returns to the start', () => {
    const store = createKioskStore(DEFAULT_KIOSK_SETTINGS);
    const s = () => store.getState();
    const reference = captured([1, 2, 3]);
    const probe = captured([3, 2, 1]);
    s().begin();
    s().acceptFace(s().startCapture(), reference, null);
    s().acceptFace(s().startCapture(), probe, null);
    s().reset();
    expect(s().step).toEqual({ kind: 'start' });
    expect(s().resets).toBe(1);
    for (const face of [reference, probe]) {
      expect([...face.embedding].every((v) => v === 0)).toBe(true);
      expect([...face.crop.rgba].every((v) => v === 0)).toBe(true);
    }
  });

  it('discards (and zeroes) a capture that returns after a reset', () => {
    const store = createKioskStore(DEFAULT_KIOSK_SETTINGS);
    const s = () => store.getState();
    s().begin();
    const session = s().startCapture();
    s().reset();
    const late = captured([1, 1, 1]);
    s().acceptFace(session, late, null);
    s().refuse(session, { kind: 'failed', message: 'late' });
    expect(s().step).toEqual({ kind: 'start' });
    expect([...late.embedding].every((v) => v === 0)).toBe(true);
  });

  it('a refused capture waits for "Try again"', () => {
    const store = createKioskStore(DEFAULT_KIOSK_SETTINGS);
    const s = () => store.getState();
    s().begin();
    s().refuse(s().startCapture(), { kind: 'guidance', guidance: { kind: 'no-face' } });
    expect(s().step).toMatchObject({ kind: 'enroll', attempt: { kind: 'refused' } });
    s().retry();
    expect(s().step).toEqual({ kind: 'enroll', attempt: { kind: 'live' } });
  });
});
