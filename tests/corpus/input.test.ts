/**
 * The bad-input corpus through the Node input layer: every file gets its expected outcome from
 * checkInput and from decoding its path, no decode ever throws anything but an InputProblemError,
 * EXIF orientations decode upright, huge images are downscaled, and normal photos decode exactly as
 * before this layer existed.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analysisSize,
  checkInput,
  INPUT_POLICY,
  type InputPolicy,
  type InputProblem,
} from '../../src/io/input-policy.ts';
import { decodeImageFile, InputProblemError, readImageFile } from '../../src/io/node-image.ts';
import { sniff } from '../../src/io/sniff.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { facesDir, hasShared, SHARED_MISSING } from '../support/shared.ts';
import { type CorpusFile, EXIF_SOURCE, makeCorpus, XSS_NAME } from './make-corpus.ts';

const corpus = await makeCorpus({ facesDir: hasShared ? facesDir : null });
const byName = (name: string): CorpusFile => {
  const found = corpus.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no corpus file ${name}`);
  return found;
};

let dir = '';
const pathOf = (f: CorpusFile) => join(dir, f.name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facecheck-corpus-'));
  await Promise.all(corpus.map((f) => writeFile(pathOf(f), f.bytes)));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** Mean absolute difference per channel value of two same-sized images. */
function meanAbsDiff(a: RgbImage, b: RgbImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs((a.data[i] ?? 0) - (b.data[i] ?? 0));
  return sum / a.data.length;
}

/** Plain RGB at a given size, for comparing images that went through different resamplers. */
async function thumbnail(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data) };
}

function expectUserFacingMessage(problem: InputProblem, name: string): void {
  expect(problem.message.length).toBeGreaterThan(20);
  expect(problem.message).toMatch(/^This (file|image|[A-Za-z]+ file)\b.*\.$/s);
  // Messages are plain text without the file name: a hostile name never reaches them.
  expect(problem.message).not.toMatch(/[<>]/);
  if (name.length > 6) expect(problem.message).not.toContain(name);
}

describe('the corpus', () => {
  it('has at least 40 files (all kinds of bad input) when ../shared is present', () => {
    if (!hasShared) {
      console.warn(
        `SKIP photo-based corpus files (${corpus.length} synthetic files only): ${SHARED_MISSING}`,
      );
      expect(corpus.length).toBeGreaterThanOrEqual(25);
      return;
    }
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    const codes = new Set(corpus.map((f) => (f.expected.expect === 'ok' ? 'ok' : f.expected.code)));
    for (const code of [
      'ok',
      'empty',
      'not-an-image',
      'unsupported-format',
      'truncated',
      'corrupt',
      'too-large-file',
      'too-many-pixels',
      'too-small',
    ]) {
      expect(codes).toContain(code);
    }
  });
});

describe.each(corpus.map((f) => [f.name, f] as const))('%s', (_name, f) => {
  it(`checkInput: ${f.expected.expect === 'ok' ? `accepted as ${f.expected.format}` : f.expected.code} (${f.why})`, () => {
    const check = checkInput(f.bytes, f.name);
    if (f.expected.expect === 'ok') {
      expect(check.ok ? check.info.format : check.problem).toBe(f.expected.format);
    } else if (f.expected.foundBy === 'decode') {
      expect(check.ok ? 'ok' : check.problem.code).toBe('ok');
    } else {
      expect(check.ok ? 'ok' : check.problem.code).toBe(f.expected.code);
      if (!check.ok) expectUserFacingMessage(check.problem, f.name);
    }
    // The name never decides the outcome.
    const anonymous = checkInput(f.bytes, 'file');
    expect(anonymous.ok ? 'ok' : anonymous.problem.code).toBe(check.ok ? 'ok' : check.problem.code);
  });

  it('decoding its path gives the expected image or problem, never an untyped error', async () => {
    const result = await readImageFile(pathOf(f), { applyExifOrientation: true });
    const expected = f.expected;
    if (expected.expect === 'ok') {
      if (!result.ok)
        throw new Error(`expected an image, got ${result.problem.code}: ${result.problem.message}`);
      expect(result.input.format).toBe(expected.format);
      expect({ width: result.image.width, height: result.image.height }).toEqual(expected.size);
      expect(result.image.data.length).toBe(expected.size.width * expected.size.height * 3);
      expect(result.input.header).toMatchObject(expected.header ?? {});
      await expect(decodeImageFile(pathOf(f))).resolves.toBeDefined();
    } else {
      if (result.ok) throw new Error(`expected problem ${expected.code}, got an image`);
      expect(result.problem.code).toBe(expected.code);
      expectUserFacingMessage(result.problem, f.name);
      const thrown = await decodeImageFile(pathOf(f)).then(
        () => null,
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(InputProblemError);
      expect((thrown as InputProblemError).problem.code).toBe(expected.code);
    }
  });
});

describe('sniffing damaged prefixes', () => {
  it('never throws, and no cut-short JPEG, PNG or WebP is accepted', () => {
    // The 64 MB file only repeats its small JPEG's prefixes, slowly.
    for (const f of corpus.filter((c) => c.name !== 'too-large.jpg')) {
      const cuts = new Set<number>();
      for (let n = 0; n < Math.min(f.bytes.length, 40); n++) cuts.add(n);
      for (let k = 1; k < 8; k++) cuts.add(Math.floor((f.bytes.length * k) / 8));
      const strict =
        f.expected.expect === 'ok' && f.expected.format !== 'gif' && f.name !== 'trailing-bytes.jpg';
      for (const n of cuts) {
        const prefix = f.bytes.subarray(0, n);
        expect(() => sniff(prefix)).not.toThrow();
        const check = checkInput(prefix, f.name);
        if (strict && n < f.bytes.length) expect(check.ok, `${f.name} cut to ${n} bytes`).toBe(false);
      }
    }
  });
});

describe('decoder failures', () => {
  it('a PNG whose header and CRCs are fine but whose pixel data is garbage: sniff passes, the decoder refuses', async () => {
    const f = byName('bad-zlib.png');
    expect(sniff(f.bytes).kind).toBe('raster');
    const result = await readImageFile(f.bytes);
    expect(result.ok ? 'ok' : result.problem.code).toBe('corrupt');
  });

  it('missing files and folders are "unreadable", with the reason', async () => {
    const missing = await readImageFile(join(dir, 'no-such-photo.jpg'));
    expect(missing.ok ? 'ok' : missing.problem).toMatchObject({
      code: 'unreadable',
      reason: 'file not found',
    });
    const folder = join(dir, 'a-folder.jpg');
    await mkdir(folder, { recursive: true });
    const asFolder = await readImageFile(folder);
    expect(asFolder.ok ? 'ok' : asFolder.problem.code).toBe('unreadable');
    await expect(decodeImageFile(join(dir, 'no-such-photo.jpg'))).rejects.toBeInstanceOf(InputProblemError);
  });

  it('refuses an oversized file from its size, before reading it', async () => {
    const f = byName('too-large.jpg');
    expect((await stat(pathOf(f))).size).toBeGreaterThan(INPUT_POLICY.maxFileBytes);
    const result = await readImageFile(pathOf(f));
    expect(result.ok ? 'ok' : result.problem).toMatchObject({
      code: 'too-large-file',
      bytes: f.bytes.length,
      maxBytes: INPUT_POLICY.maxFileBytes,
    });
  });
});

describe('policy limits', () => {
  const jpeg = byName('exactly-20x20.png').bytes;
  const with_ = (overrides: Partial<InputPolicy>): InputPolicy => ({ ...INPUT_POLICY, ...overrides });
  const code = (bytes: Uint8Array, policy: InputPolicy) => {
    const check = checkInput(bytes, 'x.png', policy);
    return check.ok ? 'ok' : check.problem.code;
  };

  it('applies each limit inclusively', () => {
    expect(code(jpeg, with_({ maxFileBytes: jpeg.length }))).toBe('ok');
    expect(code(jpeg, with_({ maxFileBytes: jpeg.length - 1 }))).toBe('too-large-file');
    expect(code(jpeg, with_({ maxDecodePixels: 400 }))).toBe('ok');
    expect(code(jpeg, with_({ maxDecodePixels: 399 }))).toBe('too-many-pixels');
    expect(code(jpeg, with_({ minSide: 20 }))).toBe('ok');
    expect(code(jpeg, with_({ minSide: 21 }))).toBe('too-small');
    expect(code(jpeg, with_({ acceptedFormats: ['jpeg'] }))).toBe('unsupported-format');
  });

  it('downscales the longest side to maxAnalysisSide, never upscales', () => {
    expect(analysisSize({ width: 12_000, height: 9_000 })).toEqual({ width: 4096, height: 3072 });
    expect(analysisSize({ width: 4000, height: 6000 })).toEqual({ width: 2731, height: 4096 });
    expect(analysisSize({ width: 4096, height: 10 })).toEqual({ width: 4096, height: 10 });
    expect(analysisSize({ width: 100_000, height: 1 })).toEqual({ width: 4096, height: 1 });
    expect(analysisSize({ width: 150, height: 150 })).toEqual({ width: 150, height: 150 });
  });

  it('the decompression bomb is refused from its header, with the numbers in the message', () => {
    const check = checkInput(byName('bomb-50000x50000.png').bytes, 'bomb.png');
    expect(check.ok ? 'ok' : check.problem).toMatchObject({
      code: 'too-many-pixels',
      width: 50_000,
      height: 50_000,
    });
    expect(check.ok ? '' : check.problem.message).toContain('50,000 × 50,000 pixels');
  });

  it('an HEIC file says what it is and what to do', () => {
    const check = checkInput(byName('iphone.heic').bytes, 'IMG_0001.HEIC');
    expect(check.ok ? '' : check.problem.message).toMatch(
      /^This file is a HEIC photo.*Export or save it as JPEG or PNG/,
    );
  });

  it('a text file named .jpg says so', () => {
    const check = checkInput(byName('notes.jpg').bytes, 'notes.jpg');
    expect(check.ok ? '' : check.problem.message).toBe(
      "This file's name ends in .jpg, but it contains text, not an image. Choose a photo (JPEG, PNG, GIF or WebP).",
    );
  });
});

describe.skipIf(!hasShared)('real photographs (needs ../shared)', () => {
  let upright: RgbImage;
  beforeAll(async () => {
    upright = await decodeImageFile(join(facesDir, EXIF_SOURCE));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'EXIF orientation %i decodes upright with applyExifOrientation',
    async (o) => {
      const f = byName(`exif-orientation-${o}.jpg`);
      const applied = await decodeImageFile(pathOf(f), { applyExifOrientation: true });
      // JPEG re-encoding at quality 92 leaves about 1 level of difference; a wrong turn or mirror, ~40.
      expect(meanAbsDiff(applied, upright)).toBeLessThan(3);
      const stored = await decodeImageFile(pathOf(f));
      if (o === 1) expect(meanAbsDiff(stored, upright)).toBeLessThan(3);
      else if (o >= 5) expect([stored.width, stored.height]).toEqual([upright.height, upright.width]);
      else expect(meanAbsDiff(stored, upright)).toBeGreaterThan(15);
    },
  );

  it("the 12,000 × 9,000 image is downscaled to the policy's longest side and still shows the photo", async () => {
    const result = await readImageFile(pathOf(byName('huge-12000x9000.jpg')));
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.input.header).toMatchObject({ width: 12_000, height: 9_000 });
    expect(Math.max(result.image.width, result.image.height)).toBe(INPUT_POLICY.maxAnalysisSide);
    // Its aspect is 4:3, the source's 16:9: compare both squeezed to the same small size.
    const a = await thumbnail(result.image, 320, 180);
    const b = await thumbnail(upright, 320, 180);
    expect(meanAbsDiff(a, b)).toBeLessThan(6);
  });

  it('an animated GIF decodes to its first frame (the photo, not the black second frame)', async () => {
    const image = await decodeImageFile(pathOf(byName('animated.gif')));
    const small = await thumbnail(upright, image.width, image.height);
    expect(meanAbsDiff(image, small)).toBeLessThan(12);
  });

  it('CMYK, 16-bit, grey, palette and transparent files decode to the same photo', async () => {
    const tolerances: Readonly<Record<string, number>> = {
      'cmyk.jpg': 25,
      '16-bit.png': 1,
      'grayscale.jpg': 25,
      'palette.png': 8,
      'rgba-transparent.png': 1,
      'webp-named.jpg': 4,
      'lossless.webp': 0,
    };
    for (const [name, tolerance] of Object.entries(tolerances)) {
      const image = await decodeImageFile(pathOf(byName(name)));
      expect(meanAbsDiff(image, upright), name).toBeLessThanOrEqual(tolerance);
    }
  });

  it('normal photos decode exactly as the reference decoder (sharp, ICC ignored, stored orientation) does', async () => {
    const files: string[] = [];
    for (const group of ['groups', 'people', 'bbt', 'aligned']) {
      const entries = await readdir(join(facesDir, group), { recursive: true });
      files.push(...entries.filter((e) => /\.(png|jpe?g)$/i.test(e)).map((e) => join(facesDir, group, e)));
    }
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const reference = await sharp(await readFile(file), { ignoreIcc: true })
        .removeAlpha()
        .raw()
        .toBuffer();
      const image = await decodeImageFile(file);
      expect(Buffer.compare(Buffer.from(image.data), reference), file).toBe(0);
    }
  });

  it(`the file named ${XSS_NAME}.jpg is an ordinary photo`, async () => {
    const image = await decodeImageFile(pathOf(byName(`${XSS_NAME}.jpg`)));
    expect(meanAbsDiff(image, upright)).toBeLessThan(3);
  });
});
