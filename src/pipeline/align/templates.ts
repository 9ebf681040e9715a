/**
 * Five-point landmark templates: where each embedder expects the left eye, right eye, nose tip and
 * mouth corners (image-left first, as MTCNN reports them) in its input crop.
 */
import type { Point } from './similarity.ts';

/** Five landmarks in MTCNN order: left eye, right eye, nose, mouth left, mouth right. */
export type FivePoints = readonly [Point, Point, Point, Point, Point];

export interface LandmarkTemplate {
  /** Side of the square crop the points refer to, in pixels. */
  readonly size: number;
  readonly points: FivePoints;
}

/**
 * The standard ArcFace / insightface 112×112 template (`arcface_dst` in insightface's
 * `face_align.py`), the layout MobileFaceNet and `../shared/data/faces/aligned` use.
 */
export const ARCFACE_112: LandmarkTemplate = {
  size: 112,
  points: [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
  ],
};

/**
 * The same template for a crop resized to `size` (pixel centres at integer coordinates, so a point
 * moves as in a half-pixel-centred resize: (x + ½)·k − ½).
 */
export function scaleTemplate(template: LandmarkTemplate, size: number): LandmarkTemplate {
  const k = size / template.size;
  const at = (v: number) => (v + 0.5) * k - 0.5;
  const [p0, p1, p2, p3, p4] = template.points.map(
    ([x, y]): Point => [at(x), at(y)],
  ) as unknown as FivePoints;
  return { size, points: [p0, p1, p2, p3, p4] };
}

/**
 * dlib's face-chip layout (`get_face_chip_details`, padding 0.25), the crops dlib's ResNet face
 * recogniser — and so face-api.js' FaceRecognitionNet, a port of it — was trained on. Points are the
 * means of dlib's 68-point mean face (`mean_face_shape_x/y`, points 17–67, unit square): eye centres
 * = mean of points 36–41 / 42–47, nose tip = point 30, mouth corners = points 48 / 54, mapped to a
 * `size` crop by (0.25 + v) / 1.5 · size.
 */
export function dlibChipTemplate(size: number): LandmarkTemplate {
  const at = (v: number) => ((0.25 + v) / 1.5) * size;
  const eyeY = 0.21599;
  return {
    size,
    points: [
      [at(0.225492), at(eyeY)],
      [at(0.754761), at(eyeY)],
      [at(0.490127), at(0.515625)],
      [at(0.254149), at(0.780233)],
      [at(0.726104), at(0.780233)],
    ],
  };
}
