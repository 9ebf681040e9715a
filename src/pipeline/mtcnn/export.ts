/**
 * Faces in the shape the `mtcnn` Python package (ipazc/mtcnn, `MTCNN().detect_faces`) returns, for
 * JSON export to users of the original Python recipe. Its conventions are copied as-is so that
 * `x, y, w, h = face['box']; crop = pixels[y:y+h, x:x+w]` works the same: coordinates are truncated
 * to integers (Python `int()`), x and y are clamped at 0 while w and h are not adjusted.
 */
import type { DetectedFace, Point } from './detector.ts';

export type MtcnnPoint = [x: number, y: number];

export interface MtcnnPackageFace {
  box: [x: number, y: number, width: number, height: number];
  confidence: number;
  keypoints: {
    left_eye: MtcnnPoint;
    right_eye: MtcnnPoint;
    nose: MtcnnPoint;
    mouth_left: MtcnnPoint;
    mouth_right: MtcnnPoint;
  };
}

const point = ([x, y]: Point): MtcnnPoint => [Math.trunc(x), Math.trunc(y)];

export function toMtcnnPackageFormat(faces: readonly DetectedFace[]): MtcnnPackageFace[] {
  return faces.map(
    ({ box: [x1, y1, x2, y2], score, landmarks: [leftEye, rightEye, nose, mouthLeft, mouthRight] }) => ({
      box: [
        Math.max(0, Math.trunc(x1)),
        Math.max(0, Math.trunc(y1)),
        Math.trunc(x2 - x1),
        Math.trunc(y2 - y1),
      ],
      confidence: score,
      keypoints: {
        left_eye: point(leftEye),
        right_eye: point(rightEye),
        nose: point(nose),
        mouth_left: point(mouthLeft),
        mouth_right: point(mouthRight),
      },
    }),
  );
}
