/** Configuration: documented defaults, validation, and merging that never replaces 0 or mutates. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DETECTOR_CONFIG,
  DetectorConfigError,
  type DetectorOverrides,
  resolveDetectorConfig,
} from '../../src/pipeline/mtcnn/config.ts';

describe('detector config', () => {
  it('has the documented defaults, frozen', () => {
    expect(DEFAULT_DETECTOR_CONFIG).toEqual({
      minFaceSize: 20,
      minFaceFraction: 1 / 40,
      minFaceLimit: 40,
      scaleFactor: 0.709,
      thresholds: [0.6, 0.65, 0.7],
      nmsThresholds: { perScale: 0.5, crossScale: 0.7, rnet: 0.7, onet: 0.7 },
      maxFaces: Number.POSITIVE_INFINITY,
      maxProposals: 300,
      maxDetectionSide: 3072,
      preferredDetectionSide: 1280,
      resampling: 'exact-area',
      borderCrops: 'pad',
    });
    expect(Object.isFrozen(DEFAULT_DETECTOR_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_DETECTOR_CONFIG.thresholds)).toBe(true);
    expect(Object.isFrozen(DEFAULT_DETECTOR_CONFIG.nmsThresholds)).toBe(true);
  });

  it('keeps 0 as a value and merges nested NMS thresholds without mutating the base', () => {
    const snapshot = JSON.stringify(DEFAULT_DETECTOR_CONFIG);
    const merged = resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, {
      thresholds: [0, 0.5, 0],
      nmsThresholds: { rnet: 0 },
      maxFaces: 0,
    });
    expect(merged.thresholds).toEqual([0, 0.5, 0]);
    expect(merged.nmsThresholds).toEqual({ perScale: 0.5, crossScale: 0.7, rnet: 0, onet: 0.7 });
    expect(merged.maxFaces).toBe(0);
    expect(merged.minFaceSize).toBe(20);
    expect(JSON.stringify(DEFAULT_DETECTOR_CONFIG)).toBe(snapshot);
    expect(resolveDetectorConfig(merged, {})).toEqual(merged);
  });

  it.each<[string, DetectorOverrides]>([
    ['minFaceSize', { minFaceSize: 0 }],
    ['minFaceSize', { minFaceSize: Number.NaN }],
    ['scaleFactor', { scaleFactor: 1 }],
    ['scaleFactor', { scaleFactor: 0 }],
    ['thresholds[2]', { thresholds: [0.6, 0.7, 1.5] }],
    ['thresholds', { thresholds: [0.6, 0.7] as unknown as [number, number, number] }],
    ['nmsThresholds.onet', { nmsThresholds: { onet: -0.1 } }],
    ['maxFaces', { maxFaces: 1.5 }],
    ['maxFaces', { maxFaces: -1 }],
    ['maxDetectionSide', { maxDetectionSide: 11 }],
    ['minFaceFraction', { minFaceFraction: -0.1 }],
    ['minFaceFraction', { minFaceFraction: 1 }],
    ['minFaceLimit', { minFaceLimit: 0 }],
    ['preferredDetectionSide', { preferredDetectionSide: 11 }],
    ['minFaceLimit', { minFaceLimit: Number.NaN }],
    ['maxProposals', { maxProposals: 0 }],
    ['maxProposals', { maxProposals: 2.5 }],
    ['resampling', { resampling: 'nearest' as 'area' }],
    ['borderCrops', { borderCrops: 'mirror' as 'pad' }],
  ])('rejects an invalid %s', (field, overrides) => {
    expect(() => resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, overrides)).toThrow(DetectorConfigError);
    expect(() => resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, overrides)).toThrow(field);
  });

  it('accepts Infinity to lift the caps', () => {
    const open = resolveDetectorConfig(DEFAULT_DETECTOR_CONFIG, {
      maxDetectionSide: Number.POSITIVE_INFINITY,
      maxProposals: Number.POSITIVE_INFINITY,
      minFaceFraction: 0,
      minFaceLimit: Number.POSITIVE_INFINITY,
    });
    expect(open.minFaceLimit).toBe(Number.POSITIVE_INFINITY);
    expect(open.maxDetectionSide).toBe(Number.POSITIVE_INFINITY);
    expect(open.maxProposals).toBe(Number.POSITIVE_INFINITY);
    expect(open.minFaceFraction).toBe(0);
  });
});
