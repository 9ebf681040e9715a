/** MTCNN face detection: the public surface of src/pipeline/mtcnn. */
export {
  DEFAULT_DETECTOR_CONFIG,
  type DetectorConfig,
  DetectorConfigError,
  type DetectorOverrides,
  type NmsThresholds,
  type Resampling,
  type StageThresholds,
} from './config.ts';
export {
  type CascadeNets,
  createFaceDetector,
  type DetectedFace,
  type DetectorStageEvent,
  type DetectorStageListener,
  type FaceDetector,
  faceDetectorFromNets,
  type Point,
} from './detector.ts';
export { type MtcnnPackageFace, toMtcnnPackageFormat } from './export.ts';
export type { DetectorInput } from './input.ts';
