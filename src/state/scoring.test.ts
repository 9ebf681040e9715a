import { describe, expect, it } from 'vitest';
import {
  createScorer,
  defaultThreshold,
  orderTests,
  photoOutcome,
  referenceFaces,
  summarize,
  thresholdMax,
  verdictOf,
} from './scoring.ts';
import { done, face, photo, result, unitAt } from './test-fixtures.ts';

// Cosine distance between unit vectors at angles a and b is 1 − cos(a − b).
const cosineAt = (radians: number) => 1 - Math.cos(radians);

describe('verdicts', () => {
  it('matches at distance ≤ threshold, including equality', () => {
    expect(verdictOf(0.3, 0.5)).toBe('match');
    expect(verdictOf(0.5, 0.5)).toBe('match');
    expect(verdictOf(0.51, 0.5)).toBe('no-match');
    expect(verdictOf(0, 0)).toBe('match'); // 0 is a real threshold, not "unset"
  });

  it('uses the calibrated default and a slider range around it', () => {
    expect(defaultThreshold('mobilefacenet')).toBeCloseTo(0.6314);
    expect(thresholdMax('mobilefacenet')).toBeCloseTo(1.3);
    expect(thresholdMax('facerecognitionnet')).toBeCloseTo(1.3);
  });
});

describe('referenceFaces', () => {
  it('takes the largest (first) face of every analysed reference of the current model', () => {
    const big = face(unitAt(0), [0, 0, 50, 50]);
    const photos = [
      photo('r1', 'reference', done(result([big, face(unitAt(1))]))),
      photo('r2', 'reference', done(result([]))),
      photo('r3', 'reference', done(result([face(unitAt(2))], 'facerecognitionnet'))),
      photo('r4', 'reference', { kind: 'queued' }),
      photo('t1', 'test', done(result([face(unitAt(0))]))),
    ];
    const refs = referenceFaces(photos, 'mobilefacenet');
    expect(refs.map((r) => [r.photoId, r.faceIndex])).toEqual([['r1', 0]]);
    expect(refs[0]?.face).toBe(big);
  });
});

describe('createScorer', () => {
  const refA = photo('ra', 'reference', done(result([face(unitAt(0))])));
  const refB = photo('rb', 'reference', done(result([face(unitAt(Math.PI / 2))])));

  it('scores each test face against its nearest reference face', () => {
    const test = photo('t', 'test', done(result([face(unitAt(0.2)), face(unitAt(1.4))])));
    const scores = createScorer().score([refA, refB, test], 'mobilefacenet');
    const [first, second] = scores.get('t') ?? [];
    expect(first?.reference.photoId).toBe('ra');
    expect(first?.distance).toBeCloseTo(cosineAt(0.2), 5);
    expect(second?.reference.photoId).toBe('rb');
    expect(second?.distance).toBeCloseTo(cosineAt(Math.PI / 2 - 1.4), 5);
  });

  it('reuses distances until the references change', () => {
    const scorer = createScorer();
    const test = photo('t', 'test', done(result([face(unitAt(0.3))])));
    const first = scorer.score([refA, test], 'mobilefacenet').get('t');
    const again = scorer.score([refA, test], 'mobilefacenet').get('t');
    expect(again).toBe(first); // same array: nothing recomputed

    const changed = scorer.score([refA, refB, test], 'mobilefacenet').get('t');
    expect(changed).not.toBe(first);
    expect(changed?.[0]?.distance).toBeCloseTo(cosineAt(0.3), 5);
  });

  it('returns the same map while the scores stay the same, a new one when they change', () => {
    const scorer = createScorer();
    const test = photo('t', 'test', done(result([face(unitAt(0.3))])));
    const pending = photo('p', 'test', { kind: 'queued' });
    const first = scorer.score([refA, test, pending], 'mobilefacenet');
    // The pending photo progresses: a new photo object, no new score.
    const progressed = { ...pending, status: { kind: 'decoding' } } as const;
    expect(scorer.score([refA, test, progressed], 'mobilefacenet')).toBe(first);

    const finished = { ...pending, status: done(result([face(unitAt(1))])) };
    const next = scorer.score([refA, test, finished], 'mobilefacenet');
    expect(next).not.toBe(first);
    expect([...next.keys()]).toEqual(['t', 'p']);
    expect(scorer.score([refA, finished], 'mobilefacenet').has('t')).toBe(false); // removed
  });

  it('scores nothing without a reference face, and skips other models', () => {
    const test = photo('t', 'test', done(result([face(unitAt(0.3))])));
    expect(createScorer().score([test], 'mobilefacenet').size).toBe(0);
    const other = photo('o', 'test', done(result([face(unitAt(0.3))], 'facerecognitionnet')));
    expect(createScorer().score([refA, other], 'mobilefacenet').has('o')).toBe(false);
  });
});

describe('photo outcomes and the summary', () => {
  const ref = photo('r', 'reference', done(result([face(unitAt(0))])));
  const tests = [
    photo('same', 'test', done(result([face(unitAt(1.2)), face(unitAt(0.1))]))),
    photo('other', 'test', done(result([face(unitAt(1.2))]))),
    photo('empty', 'test', done(result([]))),
    photo('bad', 'test', { kind: 'failed', problem: { code: 'not-an-image', message: 'text' } }),
    photo('waiting', 'test', { kind: 'queued' }),
  ];
  const scores = createScorer().score([ref, ...tests], 'mobilefacenet');

  it('a photo matches when any of its faces does', () => {
    expect(tests.map((t) => photoOutcome(t, scores.get(t.id), 0.5))).toEqual([
      'match',
      'no-match',
      'no-face',
      'error',
      'pending',
    ]);
  });

  it('counts follow the threshold without rescoring', () => {
    expect(summarize(tests, scores, 0.5)).toEqual({
      total: 5,
      match: 1,
      noMatch: 1,
      noFace: 1,
      error: 1,
      pending: 1,
    });
    expect(summarize(tests, scores, 0.9)).toMatchObject({ match: 2, noMatch: 0 });
    expect(summarize(tests, scores, 0)).toMatchObject({ match: 0, noMatch: 2 });
  });
});

describe('orderTests', () => {
  const ref = photo('r', 'reference', done(result([face(unitAt(0))])));
  const tests = [
    photo('far', 'test', done(result([face(unitAt(1.5))]))),
    photo('bad', 'test', { kind: 'failed', problem: { code: 'corrupt', message: 'x' } }),
    photo('near', 'test', done(result([face(unitAt(0.1))]))),
    photo('mid', 'test', done(result([face(unitAt(0.5))]))),
  ];
  const scores = createScorer().score([ref, ...tests], 'mobilefacenet');

  it('keeps the added order, or sorts matches first / closest first', () => {
    expect(orderTests(tests, scores, 0.3, 'added')).toEqual(['far', 'bad', 'near', 'mid']);
    expect(orderTests(tests, scores, 0.3, 'matches-first')).toEqual(['near', 'mid', 'far', 'bad']);
    expect(orderTests(tests, scores, 0.01, 'matches-first')).toEqual(['near', 'mid', 'far', 'bad']);
    expect(orderTests(tests, scores, 0.3, 'closest-first')).toEqual(['near', 'mid', 'far', 'bad']);
  });
});
