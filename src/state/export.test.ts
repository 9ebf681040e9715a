import { describe, expect, it } from 'vitest';
import { buildVerificationExport, CSV_COLUMNS, csvCell, toCsv, toJson } from './export.ts';
import { createScorer } from './scoring.ts';
import { done, face, photo, result, unitAt } from './test-fixtures.ts';

const NOW = new Date('2025-01-31T10:20:30Z');

function sample() {
  const photos = [
    photo('r', 'reference', done(result([face(unitAt(0))])), 'ref.png'),
    photo(
      'a',
      'test',
      done(result([face(unitAt(0.2), [1, 2, 30, 40]), face(unitAt(1.5))])),
      'group, "party".jpg',
    ),
    photo('b', 'test', done(result([])), 'empty.jpg'),
    photo(
      'c',
      'test',
      { kind: 'failed', problem: { code: 'not-an-image', message: 'This file contains text.' } },
      '=cmd.jpg',
    ),
  ];
  const scores = createScorer().score(photos, 'mobilefacenet');
  return buildVerificationExport(photos, scores, 'mobilefacenet', 0.5, NOW);
}

describe('csvCell', () => {
  it('quotes separators, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0)).toBe('0');
  });

  it('defuses spreadsheet formulas in text but not negative numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-3.5)).toBe('-3.5');
  });
});

describe('verification export', () => {
  it('describes every photo, its faces and the settings', () => {
    const data = sample();
    expect(data).toMatchObject({
      model: 'mobilefacenet',
      metric: 'cosine',
      threshold: 0.5,
      exportedAt: NOW.toISOString(),
    });
    expect(data.references).toEqual([{ file: 'ref.png', usable: true }]);
    expect(data.summary).toMatchObject({ total: 3, match: 1, noMatch: 0, noFace: 1, error: 1 });
    const [a, b, c] = data.photos;
    expect(a?.result).toBe('match');
    expect(a?.faces.map((f) => f.verdict)).toEqual(['match', 'no-match']);
    expect(a?.faces[0]).toMatchObject({ face: 1, box: [1, 2, 30, 40], nearestReference: 'ref.png' });
    expect(b).toMatchObject({ result: 'no-face', faces: [] });
    expect(c).toMatchObject({ result: 'error', problem: { code: 'not-an-image' } });
  });

  it('has no embeddings or pixels in it', () => {
    const json = toJson(sample());
    expect(json).not.toMatch(/embedding|rgba|crop/);
    expect(JSON.parse(json).format).toBe('facecheck-verification');
  });

  it('writes one CSV row per face, or per photo without faces', () => {
    const lines = toCsv(sample()).split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 2 + 1 + 1 + 1); // header, 2 faces, no-face, error, trailing ''
    expect(lines[1]).toMatch(
      /^"group, ""party"".jpg",match,1,0\.0199,match,0\.99,1,2,30,40,ref\.png,0\.5,mobilefacenet,cosine,$/,
    );
    expect(lines[3]).toBe('empty.jpg,no-face,,,,,,,,,,0.5,mobilefacenet,cosine,');
    expect(lines[4]).toBe("'=cmd.jpg,error,,,,,,,,,,0.5,mobilefacenet,cosine,This file contains text.");
  });
});
