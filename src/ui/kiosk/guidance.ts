/**
 * On-screen guidance for the kiosk camera, from what the worker saw in a frame: the detector's
 * boxes and the frame's mean luminance. The same rules judge the live preview (what to tell the
 * user) and the captured frame (whether to accept it), so a capture the screen called good is
 * never refused for another reason.
 */
import type { FrameFace, FrameInspection } from '../../worker/kiosk-analysis.ts';

export const GUIDANCE_RULES = {
  /** Mean luma below this (0–1) is too dark for reliable detection and embeddings. */
  minLuminance: 0.2,
  /** Detections below this confidence are ignored (MTCNN's stray boxes on textures). */
  minScore: 0.9,
  /** Box height as a share of the frame height, below which the face is too small. */
  minFaceShare: 0.22,
  /** …and in pixels of the analysed frame: the embedder's crop is 112 px. */
  minFacePixels: 80,
  /** Other faces at least this large relative to the main face count as another person. */
  otherFaceRatio: 0.4,
  /** Horizontal distance of the face centre from the frame centre, as a share of frame width. */
  maxOffCentre: 0.18,
} as const;

export type Guidance =
  | { readonly kind: 'too-dark'; readonly luminance: number }
  | { readonly kind: 'no-face' }
  | { readonly kind: 'several-faces'; readonly count: number }
  | { readonly kind: 'too-small'; readonly share: number }
  /** `move` is the direction on the mirrored preview, which is the user's own left or right. */
  | { readonly kind: 'off-centre'; readonly move: 'left' | 'right' }
  | { readonly kind: 'ok'; readonly face: FrameFace };

const width = (f: FrameFace) => f.box[2] - f.box[0];
const height = (f: FrameFace) => f.box[3] - f.box[1];

export function guidanceFor(frame: FrameInspection, rules = GUIDANCE_RULES): Guidance {
  if (frame.meanLuminance < rules.minLuminance) return { kind: 'too-dark', luminance: frame.meanLuminance };
  const faces = frame.faces.filter((f) => f.score >= rules.minScore).sort((a, b) => width(b) - width(a));
  const main = faces[0];
  if (main === undefined) return { kind: 'no-face' };
  const people = faces.filter((f) => width(f) >= rules.otherFaceRatio * width(main)).length;
  if (people > 1) return { kind: 'several-faces', count: people };
  const share = height(main) / frame.height;
  if (share < rules.minFaceShare || height(main) < rules.minFacePixels) return { kind: 'too-small', share };
  const offset = ((main.box[0] + main.box[2]) / 2 - frame.width / 2) / frame.width;
  // The preview is mirrored: a face left of centre in the camera's frame shows on the right of
  // the screen, and the user moves to their left (the screen's left) to centre it.
  if (offset < -rules.maxOffCentre) return { kind: 'off-centre', move: 'left' };
  if (offset > rules.maxOffCentre) return { kind: 'off-centre', move: 'right' };
  return { kind: 'ok', face: main };
}

export interface GuidanceText {
  readonly title: string;
  readonly detail: string;
  readonly tone: 'ok' | 'warn';
}

export function guidanceText(g: Guidance): GuidanceText {
  switch (g.kind) {
    case 'too-dark':
      return { title: 'Too dark', detail: 'Please find more light, or face a window or lamp.', tone: 'warn' };
    case 'no-face':
      return { title: 'Look at the camera', detail: 'Your face should fill the oval.', tone: 'warn' };
    case 'several-faces':
      return {
        title: 'One person at a time',
        detail: `${g.count} faces are in view. Please make sure only you are in the picture.`,
        tone: 'warn',
      };
    case 'too-small':
      return {
        title: 'Come closer',
        detail: 'Your face is too small. Step towards the screen.',
        tone: 'warn',
      };
    case 'off-centre':
      return {
        title: g.move === 'left' ? 'Move a little to your left' : 'Move a little to your right',
        detail: 'Centre your face in the oval.',
        tone: 'warn',
      };
    case 'ok':
      return { title: 'Perfect — hold still', detail: 'Tap the button when you are ready.', tone: 'ok' };
  }
}
