import { describe, expect, it } from 'vitest';
import type { FrameFace, FrameInspection } from '../../worker/kiosk-analysis.ts';
import { GUIDANCE_RULES, guidanceFor, guidanceText } from './guidance.ts';

const W = 640;
const H = 480;

/** A face box of height `h` (width 0.8·h) centred at (cx, cy). */
function face(cx: number, cy: number, h: number, score = 0.99): FrameFace {
  const w = 0.8 * h;
  return { box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], score };
}

const frame = (faces: FrameFace[], meanLuminance = 0.45): FrameInspection => ({
  width: W,
  height: H,
  meanLuminance,
  faces,
  ms: 10,
});

describe('guidanceFor', () => {
  it('accepts one large, centred face in good light', () => {
    const g = guidanceFor(frame([face(320, 230, 220)]));
    expect(g.kind).toBe('ok');
    expect(guidanceText(g).tone).toBe('ok');
  });

  it('says too dark before anything else, even with a face in view', () => {
    expect(guidanceFor(frame([face(320, 230, 220)], 0.1))).toEqual({ kind: 'too-dark', luminance: 0.1 });
    expect(guidanceFor(frame([], GUIDANCE_RULES.minLuminance)).kind).toBe('no-face');
  });

  it('asks the user to look at the camera when nothing confident is detected', () => {
    expect(guidanceFor(frame([])).kind).toBe('no-face');
    expect(guidanceFor(frame([face(320, 230, 220, 0.6)])).kind).toBe('no-face');
  });

  it('counts other people only when their face is comparably large', () => {
    expect(guidanceFor(frame([face(320, 230, 220), face(560, 100, 100)]))).toEqual({
      kind: 'several-faces',
      count: 2,
    });
    // A tiny face far behind (or a false detection on a poster) does not block the visitor.
    expect(guidanceFor(frame([face(320, 230, 220), face(600, 60, 40)])).kind).toBe('ok');
  });

  it('asks to come closer when the face is small, relative to the frame or in pixels', () => {
    expect(guidanceFor(frame([face(320, 230, 90)])).kind).toBe('too-small');
    const small: FrameInspection = { ...frame([face(100, 100, 70)]), width: 200, height: 200 };
    expect(guidanceFor(small).kind).toBe('too-small');
  });

  it('gives the direction as seen in the mirrored preview', () => {
    // Left of centre in the camera frame = right of centre on the mirrored screen: move left.
    expect(guidanceFor(frame([face(150, 230, 220)]))).toEqual({ kind: 'off-centre', move: 'left' });
    expect(guidanceFor(frame([face(490, 230, 220)]))).toEqual({ kind: 'off-centre', move: 'right' });
    expect(guidanceText({ kind: 'off-centre', move: 'left' }).title).toContain('your left');
  });
});
