/**
 * The bad-input corpus (issue 9), generated in memory by code: nothing is downloaded or committed.
 * Each file carries its expected outcome, so the same list drives the Node tests (tests/corpus) and
 * a browser e2e that drops every file at once.
 *
 * Files built from real photographs need ../shared/data/faces; `makeCorpus({ facesDir: null })`
 * returns only the synthetic ones (still every refusal path), so callers can skip the rest loudly.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { InputProblemCode, Size } from '../../src/io/input-policy.ts';
import { INPUT_POLICY } from '../../src/io/input-policy.ts';
import { crc32, type ExifOrientation, type RasterFormat, type RasterHeader } from '../../src/io/sniff.ts';

export type Expected =
  | {
      readonly expect: 'ok';
      /** Format found by sniffing (whatever the name says). */
      readonly format: RasterFormat;
      /** Decoded size with EXIF orientation applied (as browsers show it) and the policy's downscale. */
      readonly size: Size;
      /** Header facts worth asserting for this file. */
      readonly header?: Partial<RasterHeader>;
      /** Lower bound on faces a detector finds (for pipeline and browser e2e tests). */
      readonly facesAtLeast?: number;
    }
  | {
      readonly expect: 'problem';
      readonly code: InputProblemCode;
      /**
       * Where the problem shows: 'check' (from the bytes, before decoding; the default) or
       * 'decode' (the header is fine, the decoder fails on the data).
       */
      readonly foundBy?: 'check' | 'decode';
    };

export interface CorpusFile {
  /** File name as a user would drop it (may lie about the format, may contain markup). */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: Expected;
  /** What the file is and why it is in the corpus. */
  readonly why: string;
}

export interface CorpusOptions {
  /** ../shared/data/faces, or null to build only the files that need no photographs. */
  readonly facesDir: string | null;
}

/** Upright photo the EXIF files are made from (4 faces in the MTCNN reference). */
export const EXIF_SOURCE = 'groups/bbt1.jpg';
/** The 40 tightly cropped faces tiled into the many-faces image. */
const BBT_PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'] as const;
export const XSS_NAME = '<img src=x onerror=alert(1)>';

const ok = (
  format: RasterFormat,
  size: Size,
  extra: Omit<Extract<Expected, { expect: 'ok' }>, 'expect' | 'format' | 'size'> = {},
): Expected => ({
  expect: 'ok',
  format,
  size,
  ...extra,
});
const problem = (code: InputProblemCode, foundBy: 'check' | 'decode' = 'check'): Expected => ({
  expect: 'problem',
  code,
  foundBy,
});
const file = (name: string, bytes: Uint8Array, expected: Expected, why: string): CorpusFile => ({
  name,
  bytes,
  expected,
  why,
});

export async function makeCorpus(options: CorpusOptions): Promise<CorpusFile[]> {
  const files = [...nonImages(), ...(await syntheticImages())];
  if (options.facesDir !== null) files.push(...(await photoFiles(options.facesDir)));
  const names = new Set(files.map((f) => f.name));
  if (names.size !== files.length) throw new Error('corpus file names must be unique (they become paths)');
  return files;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

const text = (s: string) => new TextEncoder().encode(s);

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const u32le = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
const u16le = (n: number) => Uint8Array.of(n & 0xff, n >>> 8);

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = concat(text(type), data);
  return concat(u32be(data.length), body, u32be(crc32(body)));
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Offset of the first PNG chunk of `type` (at its length field). */
function pngChunkOffset(png: Uint8Array, type: string): number {
  for (let at = 8; at + 8 <= png.length; ) {
    const length =
      ((png[at] ?? 0) << 24) | ((png[at + 1] ?? 0) << 16) | ((png[at + 2] ?? 0) << 8) | (png[at + 3] ?? 0);
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === type) return at;
    at += 12 + length;
  }
  throw new Error(`no ${type} chunk`);
}

/** Offset of the first JPEG segment with `marker` (at its 0xFF byte), walking segment lengths. */
function jpegSegmentOffset(jpeg: Uint8Array, marker: number): number {
  for (let at = 2; at + 4 <= jpeg.length; ) {
    if (jpeg[at + 1] === marker) return at;
    at += 2 + (((jpeg[at + 2] ?? 0) << 8) | (jpeg[at + 3] ?? 0));
  }
  throw new Error(`no marker 0x${marker.toString(16)}`);
}

function patched(bytes: Uint8Array, at: number, values: readonly number[]): Uint8Array {
  const out = bytes.slice();
  out.set(values, at);
  return out;
}

const half = (bytes: Uint8Array) => bytes.slice(0, Math.floor(bytes.length / 2));

/** Deterministic noise (LCG), so the corpus is the same on every run. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Files that are not images at all

function nonImages(): CorpusFile[] {
  const ftyp = (major: string, compatible: readonly string[]) => {
    const brands = concat(text(major), u32be(0), ...compatible.map(text));
    return concat(u32be(8 + brands.length), text('ftyp'), brands);
  };
  const mdat = concat(u32be(16), text('mdat'), noise(8, 7));
  return [
    file('empty.jpg', new Uint8Array(0), problem('empty'), 'zero bytes'),
    file(
      'notes.jpg',
      text('Holiday notes\nDay 1: beach.\nDay 2: museum.\n'),
      problem('not-an-image'),
      'text named .jpg',
    ),
    file(
      'unicode-notes.png',
      concat(Uint8Array.of(0xef, 0xbb, 0xbf), text('Ünïcödé notes — ✓ naïve café\n'.repeat(20))),
      problem('not-an-image'),
      'UTF-8 text with a BOM, named .png',
    ),
    file(
      'page.png',
      text('<!doctype html><html><body><svg width="10" height="10"></svg></body></html>\n'),
      problem('not-an-image'),
      'HTML with inline SVG, named .png: text, not an SVG file',
    ),
    file(
      'doctype.svg',
      text(
        '<?xml version="1.0" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg version="1.1" xmlns="http://www.w3.org/2000/svg"/>',
      ),
      problem('unsupported-format'),
      'SVG with an XML declaration and a doctype',
    ),
    file(
      `${XSS_NAME}.png`,
      text('not an image at all'),
      problem('not-an-image'),
      'hostile name on a text file',
    ),
    file(
      'document.jpg',
      text('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'),
      problem('not-an-image'),
      'PDF named .jpg',
    ),
    file(
      'clip.jpg',
      concat(ftyp('isom', ['isom', 'mp42']), mdat),
      problem('not-an-image'),
      'MP4 video named .jpg',
    ),
    file(
      'photos.jpg',
      concat(Uint8Array.of(0x50, 0x4b, 0x03, 0x04), noise(60, 3)),
      problem('not-an-image'),
      'ZIP named .jpg',
    ),
    file('random.jpg', concat(Uint8Array.of(0), noise(4095, 42)), problem('not-an-image'), 'random binary'),
    file(
      'iphone.heic',
      concat(ftyp('heic', ['mif1', 'heic']), mdat),
      problem('unsupported-format'),
      'HEIC (crafted ftyp: sharp cannot write HEVC)',
    ),
    file(
      'camera.heif',
      concat(ftyp('mif1', ['mif1']), mdat),
      problem('unsupported-format'),
      'generic HEIF (crafted ftyp)',
    ),
    file(
      'crafted.avif',
      concat(ftyp('avif', ['avif', 'mif1', 'miaf']), mdat),
      problem('unsupported-format'),
      'AVIF (crafted ftyp)',
    ),
    file(
      'drawing.svg',
      text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><circle cx="100" cy="100" r="80"/></svg>',
      ),
      problem('unsupported-format'),
      'SVG drawing',
    ),
    file(
      'scripted.jpg',
      text(
        '<?xml version="1.0"?>\n<!-- a drawing -->\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
      problem('unsupported-format'),
      'SVG with a script, named .jpg',
    ),
    file(
      'bitmap.bmp',
      bmp24(40, 30),
      problem('unsupported-format'),
      '24-bit BMP (parsed, refused: no Node decoder)',
    ),
  ];
}

/** A bottom-up 24-bit BI_RGB bitmap with a colour ramp. */
function bmp24(width: number, height: number): Uint8Array {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set([x * 6, y * 8, 128], y * stride + x * 3);
  }
  const dib = concat(
    u32le(40),
    u32le(width),
    u32le(height),
    u16le(1),
    u16le(24),
    u32le(0),
    u32le(pixels.length),
    u32le(2835),
    u32le(2835),
    u32le(0),
    u32le(0),
  );
  const fileHeader = concat(
    text('BM'),
    u32le(14 + dib.length + pixels.length),
    u32le(0),
    u32le(14 + dib.length),
  );
  return concat(fileHeader, dib, pixels);
}

// ---------------------------------------------------------------------------------------------
// Synthetic images: every header-level refusal, without needing photographs

/** A colour ramp with a grid: structure for the encoders, no faces. */
function ramp(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const grid = x % 16 === 0 || y % 16 === 0 ? 60 : 0;
      data[i] = Math.max(0, (x * 255) / Math.max(1, width - 1) - grid);
      data[i + 1] = Math.max(0, (y * 255) / Math.max(1, height - 1) - grid);
      data[i + 2] = 128;
      if (channels === 4) data[i + 3] = x < width / 4 ? 0 : 255;
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

const bytesOf = async (image: Sharp) => new Uint8Array(await image.toBuffer());

async function syntheticImages(): Promise<CorpusFile[]> {
  const jpeg = await bytesOf(ramp(64, 48).jpeg({ quality: 90 }));
  const png = await bytesOf(ramp(64, 48).png());
  const gif = await bytesOf(ramp(64, 48).gif());
  const webpAlpha = await bytesOf(ramp(64, 48, 4).webp({ quality: 80 }));

  // 50,000 × 50,000 RGB claimed by a tiny, structurally valid PNG: refused from IHDR alone.
  const bombIhdr = concat(u32be(50_000), u32be(50_000), Uint8Array.of(8, 2, 0, 0, 0));
  const pngBomb = concat(
    PNG_SIGNATURE,
    pngChunk('IHDR', bombIhdr),
    pngChunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(50_000 * 3 + 1)))),
    pngChunk('IEND', new Uint8Array(0)),
  );
  const sof = jpegSegmentOffset(jpeg, 0xc0);
  const idat = pngChunkOffset(png, 'IDAT');
  const idatLength = new DataView(png.buffer, png.byteOffset + idat, 4).getUint32(0);
  const badZlib = concat(
    png.subarray(0, idat),
    pngChunk('IDAT', noise(idatLength, 11)),
    png.subarray(idat + 12 + idatLength),
  );
  return [
    file(
      'truncated-synthetic.jpg',
      half(jpeg),
      problem('truncated'),
      'JPEG cut in half (no end-of-image marker)',
    ),
    file('soi-only.jpg', jpeg.slice(0, 20), problem('truncated'), 'JPEG cut inside its first segments'),
    file('truncated.png', half(png), problem('truncated'), 'PNG cut in half (no IEND)'),
    file('signature-only.png', PNG_SIGNATURE, problem('truncated'), 'PNG signature and nothing else'),
    file(
      'truncated.gif',
      gif.slice(0, Math.floor(gif.length * 0.6)),
      problem('truncated'),
      'GIF cut inside its first frame',
    ),
    file('truncated.webp', half(webpAlpha), problem('truncated'), 'WebP shorter than its RIFF size'),
    file(
      'broken-crc-ihdr.png',
      patched(png, 29, [(png[29] ?? 0) ^ 0xff]),
      problem('corrupt'),
      'PNG whose IHDR CRC is wrong',
    ),
    file(
      'broken-crc-idat.png',
      patched(png, idat + 8, [(png[idat + 8] ?? 0) ^ 0x55]),
      problem('corrupt'),
      'PNG with a flipped IDAT byte (CRC mismatch)',
    ),
    file(
      'bad-zlib.png',
      badZlib,
      problem('corrupt', 'decode'),
      'PNG with valid CRCs but garbage pixel data: the decoder refuses it',
    ),
    file(
      'no-frame-header.jpg',
      concat(
        jpeg.subarray(0, sof),
        jpeg.subarray(sof + 2 + (((jpeg[sof + 2] ?? 0) << 8) | (jpeg[sof + 3] ?? 0))),
      ),
      problem('corrupt'),
      'JPEG without its SOF segment',
    ),
    file(
      'bomb-50000x50000.png',
      pngBomb,
      problem('too-many-pixels'),
      'decompression bomb: PNG header claims 2.5 gigapixels',
    ),
    file(
      'bomb-60000x60000.jpg',
      patched(jpeg, sof + 5, [0xea, 0x60, 0xea, 0x60]),
      problem('too-many-pixels'),
      'JPEG SOF claims 60,000 × 60,000',
    ),
    file(
      'bomb-65535x65535.gif',
      patched(gif, 6, [0xff, 0xff, 0xff, 0xff]),
      problem('too-many-pixels'),
      'GIF screen claims 65,535 × 65,535',
    ),
    file(
      'bomb-16384x16384.webp',
      patched(webpAlpha, 24, [0xff, 0x3f, 0x00, 0xff, 0x3f, 0x00]),
      problem('too-many-pixels'),
      'WebP VP8X canvas claims 16,384 × 16,384',
    ),
    file(
      'too-large.jpg',
      concat(jpeg, new Uint8Array(INPUT_POLICY.maxFileBytes + 1 - jpeg.length)),
      problem('too-large-file'),
      'a valid JPEG padded past the file-size limit',
    ),
    file('one-pixel.png', await bytesOf(ramp(1, 1).png()), problem('too-small'), '1 × 1 PNG'),
    file('one-pixel.jpg', await bytesOf(ramp(1, 1).jpeg()), problem('too-small'), '1 × 1 JPEG'),
    file('one-pixel.gif', await bytesOf(ramp(1, 1).gif()), problem('too-small'), '1 × 1 GIF'),
    file(
      'tiny-16x16.png',
      await bytesOf(ramp(16, 16).png()),
      problem('too-small'),
      'smaller than the smallest face',
    ),
    file('strip-5000x10.png', await bytesOf(ramp(5000, 10).png()), problem('too-small'), 'a 10-pixel strip'),
    file(
      'strip-8000x30.png',
      await bytesOf(ramp(8000, 30).png()),
      problem('too-small'),
      '30 px thin, 15 px after downscaling',
    ),
    file(
      'exactly-20x20.png',
      await bytesOf(ramp(20, 20).png()),
      ok('png', { width: 20, height: 20 }),
      'the smallest accepted size',
    ),
    file(
      'ramp.gif',
      gif,
      ok('gif', { width: 64, height: 48 }, { header: { colour: 'indexed' } }),
      'a plain GIF',
    ),
    file(
      'alpha-synthetic.webp',
      webpAlpha,
      ok('webp', { width: 64, height: 48 }, { header: { hasAlpha: true } }),
      'WebP VP8X with alpha',
    ),
    file('scan.tiff', await bytesOf(ramp(64, 48).tiff()), problem('unsupported-format'), 'TIFF'),
    file(
      'sharp.avif',
      await bytesOf(ramp(64, 48).avif()),
      problem('unsupported-format'),
      'a real AVIF written by sharp',
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Files made from real photographs

async function photoFiles(facesDir: string): Promise<CorpusFile[]> {
  const photoBytes = new Uint8Array(await readFile(join(facesDir, EXIF_SOURCE)));
  const photo = () => sharp(photoBytes);
  const { width, height } = await photo().metadata();
  const size = { width, height };
  const jpeg = await bytesOf(photo().jpeg({ quality: 90 }));
  const bbtCrop = new Uint8Array(await readFile(join(facesDir, 'bbt/leonard/leonard1.png')));
  const upscaled = (w: number, h: number, quality: number) =>
    // Nearest-neighbour and no Huffman optimisation keep the 108 MP encode near one second.
    bytesOf(
      photo().resize(w, h, { fit: 'fill', kernel: 'nearest' }).jpeg({ quality, optimiseCoding: false }),
    );

  // Built concurrently: sharp runs each encode on libuv's thread pool.
  const pending: Promise<CorpusFile>[] = [
    entry('group.jpg', photoBytes, ok('jpeg', size, { facesAtLeast: 4 }), 'the original photo, unchanged'),
    entry('truncated-half.jpg', half(photoBytes), problem('truncated'), 'half the bytes of a real photo'),
    entry(`${XSS_NAME}.jpg`, jpeg, ok('jpeg', size, { facesAtLeast: 4 }), 'a good photo with a hostile name'),
    entry(
      'webp-named.jpg',
      bytesOf(photo().webp({ quality: 85 })),
      ok('webp', size, { facesAtLeast: 4 }),
      'lossy WebP named .jpg',
    ),
    entry(
      'lossless.webp',
      bytesOf(photo().webp({ lossless: true, effort: 0 })),
      ok('webp', size, { facesAtLeast: 4 }),
      'lossless WebP (VP8L)',
    ),
    entry(
      'cmyk.jpg',
      bytesOf(photo().toColourspace('cmyk').jpeg({ quality: 90 })),
      ok('jpeg', size, { header: { colour: 'cmyk', adobe: true }, facesAtLeast: 4 }),
      'CMYK JPEG with an Adobe marker',
    ),
    entry(
      '16-bit.png',
      bytesOf(photo().toColourspace('rgb16').png({ compressionLevel: 1 })),
      ok('png', size, { header: { bitDepth: 16 }, facesAtLeast: 4 }),
      '16 bits per channel',
    ),
    entry(
      'grayscale.jpg',
      bytesOf(photo().toColourspace('b-w').jpeg()),
      ok('jpeg', size, { header: { colour: 'grey' }, facesAtLeast: 4 }),
      'one-component JPEG',
    ),
    entry(
      'grayscale.png',
      bbtCrop,
      ok('png', { width: 150, height: 150 }, { header: { colour: 'grey' }, facesAtLeast: 1 }),
      'a real 8-bit grey PNG',
    ),
    entry(
      'palette.png',
      bytesOf(photo().png({ palette: true, colours: 128, effort: 1, dither: 0 })),
      ok('png', size, { header: { colour: 'indexed' }, facesAtLeast: 4 }),
      'indexed-colour PNG',
    ),
    entry(
      'interlaced.png',
      bytesOf(photo().png({ progressive: true, compressionLevel: 1 })),
      ok('png', size, { facesAtLeast: 4 }),
      'Adam7 interlaced PNG',
    ),
    entry(
      'progressive.jpg',
      bytesOf(photo().jpeg({ progressive: true })),
      ok('jpeg', size, { facesAtLeast: 4 }),
      'progressive JPEG',
    ),
    entry(
      'trailing-bytes.jpg',
      concat(jpeg, noise(500, 5)),
      ok('jpeg', size, { facesAtLeast: 4 }),
      'data after the end-of-image marker',
    ),
    entry(
      'rgba-transparent.png',
      transparentPng(photoBytes, size),
      ok('png', size, { header: { hasAlpha: true }, facesAtLeast: 3 }),
      'RGBA with a fully transparent border',
    ),
    entry(
      'animated.gif',
      animatedGif(photoBytes),
      ok('gif', { width: 683, height: 384 }, { header: { animated: true }, facesAtLeast: 3 }),
      'two frames: the photo, then black',
    ),
    entry(
      'huge-12000x9000.jpg',
      upscaled(12_000, 9_000, 50),
      ok('jpeg', { width: 4096, height: 3072 }, { facesAtLeast: 4 }),
      '108 megapixels of real content: downscaled, not refused',
    ),
    entry(
      'camera-6000x4000.jpg',
      upscaled(6000, 4000, 75),
      ok('jpeg', { width: 4096, height: 2731 }, { facesAtLeast: 4 }),
      'a 24 MP camera-sized photo',
    ),
    entry(
      'many-faces-40.jpg',
      manyFaces(facesDir),
      ok('jpeg', { width: 1680, height: 1050 }, { facesAtLeast: 40 }),
      '40 face crops in an 8 × 5 grid',
    ),
    ...([1, 2, 3, 4, 5, 6, 7, 8] as const).map((orientation) =>
      entry(
        `exif-orientation-${orientation}.jpg`,
        storedForOrientation(photoBytes, orientation),
        ok('jpeg', size, { header: { orientation }, facesAtLeast: 4 }),
        `EXIF orientation ${orientation}: upright only once the tag is applied`,
      ),
    ),
  ];
  return Promise.all(pending);
}

async function entry(
  name: string,
  bytes: Uint8Array | Promise<Uint8Array>,
  expected: Expected,
  why: string,
): Promise<CorpusFile> {
  return file(name, await bytes, expected, why);
}

/**
 * Pixels stored so that applying EXIF `orientation` shows `photo` upright: each orientation's
 * inverse transform (2, 3, 4, 5 and 7 are their own inverses; 6 and 8 invert each other).
 * One operation per pipeline, so sharp's internal operation order cannot reorder them.
 */
async function storedForOrientation(photo: Uint8Array, orientation: ExifOrientation): Promise<Uint8Array> {
  const steps: Record<ExifOrientation, readonly ((s: Sharp) => Sharp)[]> = {
    1: [],
    2: [(s) => s.flop()],
    3: [(s) => s.rotate(180)],
    4: [(s) => s.flip()],
    5: [(s) => s.rotate(90), (s) => s.flop()], // transpose
    6: [(s) => s.rotate(270)],
    7: [(s) => s.rotate(270), (s) => s.flop()], // transverse
    8: [(s) => s.rotate(90)],
  };
  let png = photo;
  for (const step of steps[orientation]) png = await bytesOf(step(sharp(png)).png({ compressionLevel: 0 }));
  return bytesOf(sharp(png).jpeg({ quality: 92 }).withMetadata({ orientation }));
}

async function transparentPng(photo: Uint8Array, { width, height }: Size): Promise<Uint8Array> {
  const border = 40;
  const alpha = new Uint8Array(width * height);
  for (let y = border; y < height - border; y++)
    alpha.fill(255, y * width + border, (y + 1) * width - border);
  return bytesOf(
    sharp(photo)
      .joinChannel(Buffer.from(alpha.buffer), { raw: { width, height, channels: 1 } })
      .png(),
  );
}

async function animatedGif(photo: Uint8Array): Promise<Uint8Array> {
  const first = await bytesOf(sharp(photo).resize(683, 384).png());
  const black = await bytesOf(
    sharp({ create: { width: 683, height: 384, channels: 3, background: '#000' } }).png(),
  );
  return bytesOf(sharp([first, black], { join: { animated: true } }).gif({ delay: [500, 500], loop: 0 }));
}

/** 8 people × 5 crops, each on a 30 px grey margin so the whole face lies inside the tile. */
async function manyFaces(facesDir: string): Promise<Uint8Array> {
  const tiles = await Promise.all(
    BBT_PEOPLE.flatMap((person) =>
      [1, 2, 3, 4, 5].map(async (i) =>
        bytesOf(
          sharp(await readFile(join(facesDir, `bbt/${person}/${person}${i}.png`)))
            .extend({ top: 30, bottom: 30, left: 30, right: 30, background: '#808080' })
            .png(),
        ),
      ),
    ),
  );
  return bytesOf(sharp(tiles, { join: { across: 8 } }).jpeg({ quality: 90 }));
}
