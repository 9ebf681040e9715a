import { describe, expect, it } from 'vitest';
import {
  cleanName,
  type EnrolledPerson,
  labelAt,
  type Person,
  pickFace,
  rankPeople,
  renamePerson,
  samplesOf,
} from './gallery.ts';
import { parseGalleryFile, toGalleryFile } from './gallery-file.ts';
import { done, face, photo, result, unitAt } from './test-fixtures.ts';

const person = (
  id: string,
  name: string,
  photoIds: string[] = [],
  picks: Record<string, number> = {},
): Person => ({
  id,
  name,
  photoIds,
  picks,
  stored: [],
});

const enrolled = (id: string, name: string, angles: number[]): EnrolledPerson => ({
  id,
  name,
  samples: angles.map((a, i) => ({ key: `${id}${i}`, embedding: unitAt(a), crop: null, source: 'x' })),
});

describe('samplesOf', () => {
  const single = photo('p1', 'enrol', done(result([face(unitAt(0))])));
  const group = photo('p2', 'enrol', done(result([face(unitAt(1)), face(unitAt(2))])));
  const none = photo('p3', 'enrol', done(result([])));
  const waiting = photo('p4', 'enrol', { kind: 'queued' });
  const photos = Object.fromEntries([single, group, none, waiting].map((p) => [p.id, p]));

  it('uses the only face of a photo and asks which one when there are several', () => {
    const { samples, needsPick } = samplesOf(
      person('x', 'X', ['p1', 'p2', 'p3', 'p4']),
      photos,
      'mobilefacenet',
    );
    expect(samples.map((s) => s.key)).toEqual(['p1:0']);
    expect(needsPick.map((p) => p.id)).toEqual(['p2']);
  });

  it('uses the picked face', () => {
    const { samples, needsPick } = samplesOf(person('x', 'X', ['p2'], { p2: 1 }), photos, 'mobilefacenet');
    expect(samples.map((s) => s.key)).toEqual(['p2:1']);
    expect(needsPick).toEqual([]);
  });

  it('counts stored samples only for their own model', () => {
    const p: Person = {
      ...person('x', 'X'),
      stored: [
        { id: 's1', model: 'mobilefacenet', embedding: unitAt(0) },
        { id: 's2', model: 'facerecognitionnet', embedding: unitAt(0, 128) },
      ],
    };
    expect(samplesOf(p, {}, 'mobilefacenet').samples.map((s) => s.key)).toEqual(['s1']);
  });
});

describe('1:N identification', () => {
  const gallery = [
    enrolled('a', 'Amy', [0, 0.1]),
    enrolled('b', 'Bob', [1.0]),
    enrolled('c', 'Cat', [2.0]),
    enrolled('d', 'Dan', []),
  ];

  it('ranks people by their closest sample, top 3, skipping people without samples', () => {
    const ranked = rankPeople(unitAt(0.12), gallery, 'cosine');
    expect(ranked.map((m) => m.name)).toEqual(['Amy', 'Bob', 'Cat']);
    expect(ranked[0]?.distance).toBeCloseTo(1 - Math.cos(0.02), 6);
  });

  it('labels Unknown when the nearest person is beyond the threshold', () => {
    const ranked = rankPeople(unitAt(0.45), gallery, 'cosine'); // Amy 1 − cos 0.35 ≈ 0.061, Bob ≈ 0.147
    const known = labelAt(ranked, 0.1);
    expect(known.kind).toBe('known');
    expect(known.kind === 'known' && known.match.name).toBe('Amy');
    expect(labelAt(ranked, 0.05)).toEqual({ kind: 'unknown', candidates: ranked });
    expect(labelAt([], 1)).toEqual({ kind: 'unknown', candidates: [] });
  });
});

describe('person edits', () => {
  it('cleans names and ignores empty renames', () => {
    expect(cleanName('  Sheldon \n  Cooper ')).toBe('Sheldon Cooper');
    const people = [person('a', 'Amy')];
    expect(renamePerson(people, 'a', '  ')[0]?.name).toBe('Amy');
    expect(renamePerson(people, 'a', 'Amy Farrah Fowler')[0]?.name).toBe('Amy Farrah Fowler');
    expect(pickFace(people, 'a', 'p9', 2)[0]?.picks).toEqual({ p9: 2 });
  });
});

describe('gallery file', () => {
  const gallery = [
    {
      id: 'a',
      name: 'Amy',
      samples: [{ key: 'k', embedding: new Float32Array(192).fill(0.5), crop: null, source: 'x' }],
    },
    { id: 'z', name: 'Nobody', samples: [] },
  ];

  it('round-trips names and embeddings, without people who have none', () => {
    const file = toGalleryFile(gallery, 'mobilefacenet', new Date('2025-01-01T00:00:00Z'));
    expect(file).toMatchObject({ format: 'facecheck-gallery', version: 1, model: 'mobilefacenet', dim: 192 });
    expect(file.people.map((p) => p.name)).toEqual(['Amy']);
    const parsed = parseGalleryFile(JSON.stringify(file), 'mobilefacenet');
    expect(parsed.ok && parsed.file.people[0]?.embeddings[0]?.length).toBe(192);
  });

  it('refuses a file made with another model, naming both', () => {
    const file = toGalleryFile(gallery, 'mobilefacenet');
    const parsed = parseGalleryFile(file, 'facerecognitionnet');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/MobileFaceNet.*FaceRecognitionNet/);
  });

  it('refuses malformed files with a reason', () => {
    const good = toGalleryFile(gallery, 'mobilefacenet');
    const bad = (patch: object) => parseGalleryFile({ ...good, ...patch }, 'mobilefacenet');
    expect(parseGalleryFile('not json', 'mobilefacenet').ok).toBe(false);
    expect(bad({ format: 'other' }).ok).toBe(false);
    expect(bad({ version: 2 }).ok).toBe(false);
    expect(bad({ model: 'vgg' }).ok).toBe(false);
    expect(bad({ dim: 128 }).ok).toBe(false);
    expect(bad({ people: [{ name: '', embeddings: [[]] }] }).ok).toBe(false);
    expect(bad({ people: [{ name: 'A', embeddings: [new Array(191).fill(0)] }] }).ok).toBe(false);
    // JSON cannot carry NaN, but a structured-clone copy (IndexedDB) can.
    expect(bad({ people: [{ name: 'A', embeddings: [new Array(192).fill(Number.NaN)] }] }).ok).toBe(false);
  });
});
