/**
 * Gallery import is untrusted input (issue 9): every way a file can be wrong is refused with a
 * message that says what is wrong, and a huge file is refused before it is read.
 */
import { describe, expect, it } from 'vitest';
import { EMBEDDER_SPECS } from '../models/embedders.ts';
import {
  type GalleryParse,
  MAX_GALLERY_FILE_BYTES,
  parseGalleryFile,
  readGalleryFile,
  toGalleryFile,
} from './gallery-file.ts';

const DIM = EMBEDDER_SPECS.mobilefacenet.dim;
const good = toGalleryFile(
  [
    {
      id: 'a',
      name: 'Amy',
      samples: [{ key: 'k', embedding: new Float32Array(DIM).fill(0.5), crop: null, source: 'x' }],
    },
  ],
  'mobilefacenet',
  new Date('2025-01-01T00:00:00Z'),
);
const goodText = JSON.stringify(good);

const messageOf = (parsed: GalleryParse) => (parsed.ok ? '(accepted)' : parsed.message);
const withPeople = (people: unknown) =>
  parseGalleryFile(JSON.stringify({ ...good, people }), 'mobilefacenet');

describe('readGalleryFile', () => {
  it('refuses a 200 MB file from its size, without reading it', async () => {
    let read = false;
    const huge = {
      size: 200 * 1024 * 1024,
      text: async () => {
        read = true;
        return goodText;
      },
    };
    const parsed = await readGalleryFile(huge, 'mobilefacenet');
    expect(read).toBe(false);
    expect(messageOf(parsed)).toBe(
      'This file is 200 MB; a FaceCheck gallery is at most 32 MB (about 1,000 people). Choose a gallery file exported by FaceCheck.',
    );
  });

  it('reads and validates a real Blob of a good gallery', async () => {
    const parsed = await readGalleryFile(new Blob([goodText]), 'mobilefacenet');
    expect(parsed.ok && parsed.file.people.map((p) => p.name)).toEqual(['Amy']);
  });

  it('says so when the file cannot be read', async () => {
    const gone = { size: 10, text: () => Promise.reject(new Error('NotFoundError')) };
    expect(messageOf(await readGalleryFile(gone, 'mobilefacenet'))).toMatch(
      /could not be read \(NotFoundError\)/,
    );
  });

  it('refuses text over the limit before parsing it', () => {
    const text = `${goodText}${' '.repeat(MAX_GALLERY_FILE_BYTES)}`;
    expect(messageOf(parseGalleryFile(text, 'mobilefacenet'))).toMatch(
      /^This file is 32 MB; a FaceCheck gallery is at most 32 MB/,
    );
  });
});

describe('parseGalleryFile refuses, saying why', () => {
  it('accepts the file toGalleryFile writes', () => {
    expect(parseGalleryFile(goodText, 'mobilefacenet').ok).toBe(true);
  });

  it('NaN and Infinity, as bare words (invalid JSON) and as values', () => {
    const nan = goodText.replace('[0.5,', '[NaN,');
    expect(nan).not.toBe(goodText);
    expect(messageOf(parseGalleryFile(nan, 'mobilefacenet'))).toMatch(/contains NaN or Infinity/);
    expect(messageOf(parseGalleryFile(goodText.replace('[0.5,', '[-Infinity,'), 'mobilefacenet'))).toMatch(
      /contains NaN or Infinity/,
    );
    // 1e999 is valid JSON and parses to Infinity.
    expect(messageOf(parseGalleryFile(goodText.replace('[0.5,', '[1e999,'), 'mobilefacenet'))).toBe(
      'Embedding 1 of person 1 holds a value that is not a finite number (NaN, Infinity or text).',
    );
    // A structured-clone copy (IndexedDB) can hold NaN itself.
    const cloned = { ...good, people: [{ name: 'A', embeddings: [new Array(DIM).fill(Number.NaN)] }] };
    expect(messageOf(parseGalleryFile(cloned, 'mobilefacenet'))).toMatch(/not a finite number/);
    expect(messageOf(withPeople([{ name: 'A', embeddings: [new Array(DIM).fill('0.5')] }]))).toMatch(
      /not a finite number/,
    );
  });

  it('wrong dimensions, in the header or in one embedding', () => {
    expect(messageOf(parseGalleryFile({ ...good, dim: 128 }, 'mobilefacenet'))).toBe(
      `This gallery's embeddings have 128 values; the model uses ${DIM}.`,
    );
    const ok = new Array(DIM).fill(0.1);
    expect(messageOf(withPeople([{ name: 'A', embeddings: [ok, new Array(DIM - 1).fill(0.1)] }]))).toBe(
      `Embedding 2 of person 1 has ${DIM - 1} values; the model's embeddings have ${DIM}.`,
    );
    expect(messageOf(withPeople([{ name: 'A', embeddings: [{ length: DIM }] }]))).toMatch(
      /^Embedding 1 of person 1 is not a list of numbers\.$/,
    );
  });

  it('unknown model ids, named (as text) with the models this FaceCheck has', () => {
    expect(messageOf(parseGalleryFile({ ...good, model: 'arcface-r100' }, 'mobilefacenet'))).toBe(
      'This gallery was made with a face model this FaceCheck does not have ("arcface-r100"). It has: MobileFaceNet, FaceRecognitionNet.',
    );
    for (const model of ['__proto__', 'toString', 'constructor', 42, null]) {
      expect(messageOf(parseGalleryFile({ ...good, model }, 'mobilefacenet')), String(model)).toMatch(
        /does not have/,
      );
    }
    const long = 'x'.repeat(5000);
    expect(messageOf(parseGalleryFile({ ...good, model: long }, 'mobilefacenet')).length).toBeLessThan(200);
  });

  it('anything that is not a gallery, or the wrong shape', () => {
    expect(messageOf(parseGalleryFile('not json', 'mobilefacenet'))).toBe(
      'This file is not a FaceCheck gallery (it is not valid JSON).',
    );
    for (const value of [null, 42, 'text', [], { format: 'other' }]) {
      expect(messageOf(parseGalleryFile(JSON.stringify(value), 'mobilefacenet'))).toBe(
        'This file is not a FaceCheck gallery.',
      );
    }
    expect(messageOf(parseGalleryFile({ ...good, version: 2 }, 'mobilefacenet'))).toMatch(/version 2/);
    expect(messageOf(withPeople('everyone'))).toMatch(/at most 1000 people/);
    expect(messageOf(withPeople(new Array(1001).fill({ name: 'A', embeddings: [] })))).toMatch(
      /at most 1000/,
    );
    expect(messageOf(withPeople([{ name: '  ', embeddings: [] }]))).toBe(
      'Person 1 in this gallery has no name.',
    );
    expect(messageOf(withPeople([{ name: 'A', embeddings: [] }]))).toMatch(/between 1 and 100 embeddings/);
  });

  it('keeps names as plain, bounded text', () => {
    const parsed = withPeople([
      { name: '<img src=x onerror=alert(1)>\n  Amy', embeddings: [new Array(DIM).fill(0.1)] },
    ]);
    expect(parsed.ok && parsed.file.people[0]?.name).toBe('<img src=x onerror=alert(1)> Amy');
  });
});
