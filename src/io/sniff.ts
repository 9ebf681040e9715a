/**
 * Identifies a file from its first bytes — never from its name or MIME type, which lie (a WebP saved
 * as `.jpg`, a text file renamed `.png`) — and reads the pixel dimensions from the header without
 * decoding, so that a decompression bomb can be refused before any decoder allocates its pixels.
 *
 * Pure TypeScript (no DOM, no Node APIs): the browser worker and the Node CLI share it.
 *
 * Besides the dimensions it reports what decoders disagree on or what a message should mention:
 * the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF), CMYK/Adobe JPEGs, alpha, bit depth and
 * animation. It also checks a file's structure as far as that is cheap — every PNG chunk CRC, the
 * JPEG end-of-image marker, RIFF/chunk lengths — so truncated and damaged files are reported the same
 * way in every environment instead of decoding to half a picture in one browser and failing in another.
 */

/** Formats whose header this module parses for dimensions. */
export type RasterFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp';

/** Image formats recognised by their signature but not parsed (FaceCheck refuses them; see docs/input.md). */
export type OpaqueImageFormat = 'heic' | 'heif' | 'avif' | 'tiff' | 'svg';

export type ImageFormat = RasterFormat | OpaqueImageFormat;

/** What a non-image file looks like, to name it in the message. */
export type NonImageKind = 'text' | 'pdf' | 'video' | 'archive' | 'unknown';

/** EXIF orientation: 1 = stored upright; 2–8 = mirrored and/or rotated (EXIF 2.3, tag 0x0112). */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** Colour model as stored in the file. */
export type StoredColour = 'grey' | 'rgb' | 'indexed' | 'cmyk';

export interface RasterHeader {
  /** Stored width and height in pixels (before any EXIF orientation). */
  readonly width: number;
  readonly height: number;
  /** Bits per sample as stored: PNG 1–16, JPEG 8 or 12, GIF/WebP 8, BMP bits per pixel. */
  readonly bitDepth: number;
  readonly colour: StoredColour;
  readonly hasAlpha: boolean;
  /** More than one frame (animated GIF/APNG/WebP): decoders use the first one. */
  readonly animated: boolean;
  /** From EXIF when present, else 1. */
  readonly orientation: ExifOrientation;
  /** JPEG only: an Adobe APP14 segment is present (Photoshop CMYK/YCCK files invert their ink values). */
  readonly adobe: boolean;
}

export type Damage = 'truncated' | 'corrupt';

export type SniffResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-image'; readonly looksLike: NonImageKind }
  | { readonly kind: 'opaque-image'; readonly format: OpaqueImageFormat }
  | { readonly kind: 'raster'; readonly format: RasterFormat; readonly header: RasterHeader }
  | {
      readonly kind: 'damaged';
      readonly format: RasterFormat;
      readonly damage: Damage;
      /** Technical detail for logs (not for users). */
      readonly detail: string;
    };

/** Internal: a header parser's answer, before the format is attached. */
type HeaderResult =
  | { readonly ok: true; readonly header: RasterHeader }
  | { readonly ok: false; readonly damage: Damage; readonly detail: string };

const truncated = (detail: string): HeaderResult => ({ ok: false, damage: 'truncated', detail });
const corrupt = (detail: string): HeaderResult => ({ ok: false, damage: 'corrupt', detail });

export function sniff(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) return { kind: 'empty' };
  const raster = rasterFormatOf(bytes);
  if (raster !== null) {
    const result = HEADER_PARSERS[raster](bytes);
    return result.ok
      ? { kind: 'raster', format: raster, header: result.header }
      : { kind: 'damaged', format: raster, damage: result.damage, detail: result.detail };
  }
  const opaque = opaqueFormatOf(bytes);
  if (opaque !== null) return { kind: 'opaque-image', format: opaque };
  return { kind: 'not-image', looksLike: nonImageKindOf(bytes) };
}

// ---------------------------------------------------------------------------------------------
// Signatures

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** BITMAPINFOHEADER sizes in the wild; checked because "BM" alone also starts ordinary text. */
const BMP_DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

function rasterFormatOf(bytes: Uint8Array): RasterFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // A PNG cut inside its 8-byte signature is still recognisably a PNG (then reported truncated).
  if (startsWith(bytes, PNG_SIGNATURE.slice(0, Math.min(8, Math.max(4, bytes.length))))) return 'png';
  const gif = ascii(bytes, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 18 && BMP_DIB_SIZES.has(readU32LE(bytes, 14)))
    return 'bmp';
  return null;
}

/** ISO-BMFF brands (ISO/IEC 23008-12 and the AV1 image format spec). */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2']);

function opaqueFormatOf(bytes: Uint8Array): OpaqueImageFormat | null {
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  const brands = ftypBrands(bytes);
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  if (brands.some((b) => HEIF_BRANDS.has(b))) return 'heif';
  if (isSvg(bytes)) return 'svg';
  return null;
}

/** Major and compatible brands of a leading ISO-BMFF `ftyp` box; empty if there is none. */
function ftypBrands(bytes: Uint8Array): string[] {
  if (bytes.length < 12 || ascii(bytes, 4, 4) !== 'ftyp') return [];
  const boxSize = Math.min(readU32BE(bytes, 0), bytes.length, 4096);
  const brands = [ascii(bytes, 8, 4)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, 4));
  return brands;
}

/** Text prefix for markup checks: enough for an XML declaration, a doctype and comments. */
const MARKUP_PREFIX = 1024;

function textPrefix(bytes: Uint8Array): string {
  // Latin-1 is enough to find ASCII markup; a UTF-8 BOM shows up as "ï»¿" and is skipped.
  return ascii(bytes, 0, MARKUP_PREFIX).replace(/^\u00ef\u00bb\u00bf/, '');
}

/** XML declaration, processing instructions, comments, a doctype (with an internal subset) and whitespace. */
const XML_PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i;

/** Text whose root element is <svg> (an HTML page with inline SVG is not an SVG file). */
function isSvg(bytes: Uint8Array): boolean {
  if (!looksLikeText(bytes)) return false;
  const head = textPrefix(bytes);
  const root = head.slice(XML_PROLOG.exec(head)?.[0].length ?? 0);
  return /^<svg[\s>/]/i.test(root);
}

const VIDEO_BRANDS = new Set([
  'isom',
  'iso2',
  'mp41',
  'mp42',
  'avc1',
  'qt  ',
  'M4V ',
  '3gp4',
  '3gp5',
  'dash',
]);

function nonImageKindOf(bytes: Uint8Array): NonImageKind {
  if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (ftypBrands(bytes).some((b) => VIDEO_BRANDS.has(b))) return 'video';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'AVI ') return 'video';
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'video'; // Matroska / WebM
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x1f, 0x8b])) return 'archive';
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'archive'; // 7-Zip
  return looksLikeText(bytes) ? 'text' : 'unknown';
}

/** No NUL bytes and almost only printable characters in the first KiB (UTF-8 bytes ≥ 0x80 count as printable). */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, MARKUP_PREFIX);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= n * 0.02;
}

// ---------------------------------------------------------------------------------------------
// Byte readers (bounds are checked by the callers)

function readU16BE(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
function readU16LE(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function readU24LE(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16);
}
function readU32BE(b: Uint8Array, at: number): number {
  return (
    ((b[at] ?? 0) * 0x1000000 + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0))) >>> 0
  );
}
function readU32LE(b: Uint8Array, at: number): number {
  return (
    ((b[at + 3] ?? 0) * 0x1000000 + (((b[at + 2] ?? 0) << 16) | ((b[at + 1] ?? 0) << 8) | (b[at] ?? 0))) >>> 0
  );
}
function readI32LE(b: Uint8Array, at: number): number {
  return readU32LE(b, at) | 0;
}

function header(
  partial: Partial<RasterHeader> & Pick<RasterHeader, 'width' | 'height' | 'colour'>,
): HeaderResult {
  return {
    ok: true,
    header: { bitDepth: 8, hasAlpha: false, animated: false, orientation: 1, adobe: false, ...partial },
  };
}

const HEADER_PARSERS: Readonly<Record<RasterFormat, (bytes: Uint8Array) => HeaderResult>> = {
  jpeg: parseJpeg,
  png: parsePng,
  gif: parseGif,
  webp: parseWebp,
  bmp: parseBmp,
};

// ---------------------------------------------------------------------------------------------
// EXIF (a TIFF structure inside JPEG APP1, PNG eXIf or WebP EXIF)

const ORIENTATION_TAG = 0x0112;

/** The orientation tag of IFD0, or 1 when absent or out of range (then decoders ignore it too). */
function exifOrientation(b: Uint8Array, start: number, end: number): ExifOrientation {
  if (end - start < 8) return 1;
  const order = ascii(b, start, 2);
  if (order !== 'II' && order !== 'MM') return 1;
  const le = order === 'II';
  const u16 = (at: number) => (le ? readU16LE(b, at) : readU16BE(b, at));
  const u32 = (at: number) => (le ? readU32LE(b, at) : readU32BE(b, at));
  if (u16(start + 2) !== 42) return 1;
  const ifd = start + u32(start + 4);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (u16(entry) !== ORIENTATION_TAG) continue;
    const value = u16(entry + 8); // type SHORT, count 1: the value sits left-justified in the field
    return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// JPEG (ITU T.81): walk the marker segments up to the first scan, then find the end-of-image marker

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const EXIF_ID = 'Exif\u0000\u0000';

function parseJpeg(b: Uint8Array): HeaderResult {
  let frame: { width: number; height: number; precision: number; components: number } | null = null;
  let orientation: ExifOrientation = 1;
  let exifSeen = false;
  let adobe = false;
  let at = 2;
  for (;;) {
    // Fill bytes (0xFF) may precede a marker.
    while (at < b.length && b[at] === 0xff && b[at + 1] === 0xff) at++;
    if (at + 4 > b.length) return truncated('ends before the first scan');
    if (b[at] !== 0xff) return corrupt(`expected a marker at byte ${at}`);
    const marker = b[at + 1] ?? 0;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // standalone markers carry no length
      continue;
    }
    if (marker === 0xd9) return corrupt('end of image before any scan');
    const length = readU16BE(b, at + 2);
    if (length < 2) return corrupt(`segment 0x${marker.toString(16)} has length ${length}`);
    const data = at + 4;
    const end = at + 2 + length;
    if (end > b.length) return truncated(`segment 0x${marker.toString(16)} runs past the end`);
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) return corrupt('frame header too short');
      frame = {
        precision: b[data] ?? 0,
        height: readU16BE(b, data + 1),
        width: readU16BE(b, data + 3),
        components: b[data + 5] ?? 0,
      };
    } else if (marker === 0xe1 && !exifSeen && ascii(b, data, 6) === EXIF_ID) {
      // Decoders read the first Exif segment only (a second one is usually an editor's leftover).
      exifSeen = true;
      orientation = exifOrientation(b, data + 6, end);
    } else if (marker === 0xee && ascii(b, data, 5) === 'Adobe') {
      adobe = true;
    } else if (marker === 0xda) {
      if (frame === null) return corrupt('scan without a frame header');
      if (!hasEndOfImage(b, end)) return truncated('no end-of-image marker after the scan data');
      const { width, height, precision, components } = frame;
      // Height 0 means "defined later by a DNL marker": legal but unsupported by browsers.
      if (width === 0 || height === 0) return corrupt(`frame header says ${width} × ${height}`);
      if (components !== 1 && components !== 3 && components !== 4) {
        return corrupt(`${components} colour components`);
      }
      const colour: StoredColour = components === 1 ? 'grey' : components === 4 ? 'cmyk' : 'rgb';
      return header({ width, height, bitDepth: precision, colour, orientation, adobe });
    }
    at = end;
  }
}

/**
 * Whether an EOI marker (FF D9) follows `from`. Inside entropy-coded data every 0xFF is followed by
 * 0x00 (stuffing) or a marker, so FF D9 there can only be a real end of image. Bytes after EOI
 * (camera padding, appended data) are allowed, as every decoder ignores them.
 */
function hasEndOfImage(b: Uint8Array, from: number): boolean {
  for (let i = b.length - 2; i >= from; i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// PNG (ISO/IEC 15948): IHDR first, every chunk's CRC checked, IEND required

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309) of b[start, end), as PNG chunks use it. */
export function crc32(b: Uint8Array, start = 0, end = b.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (b[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Colour type → [colour, has alpha channel, valid bit depths]. */
const PNG_COLOUR_TYPES: ReadonlyMap<number, readonly [StoredColour, boolean, readonly number[]]> = new Map([
  [0, ['grey', false, [1, 2, 4, 8, 16]]],
  [2, ['rgb', false, [8, 16]]],
  [3, ['indexed', false, [1, 2, 4, 8]]],
  [4, ['grey', true, [8, 16]]],
  [6, ['rgb', true, [8, 16]]],
] as const);

/** PNG's largest width, height and chunk length: 2^31 − 1. */
const PNG_MAX_U31 = 0x7fffffff;

function parsePng(b: Uint8Array): HeaderResult {
  if (b.length < 8 || !startsWith(b, PNG_SIGNATURE)) {
    return b.length < 8 ? truncated('ends inside the signature') : corrupt('damaged signature');
  }
  let ihdr: { width: number; height: number; bitDepth: number; colourType: number } | null = null;
  let orientation: ExifOrientation = 1;
  let transparency = false;
  let animated = false;
  let at = 8;
  for (;;) {
    if (at + 12 > b.length) return truncated(ihdr === null ? 'ends before IHDR' : 'ends before IEND');
    const length = readU32BE(b, at);
    const type = ascii(b, at + 4, 4);
    const data = at + 8;
    const end = data + length;
    if (length > PNG_MAX_U31) return corrupt(`chunk ${type} claims ${length} bytes`);
    if (end + 4 > b.length) return truncated(`chunk ${type} runs past the end`);
    if (crc32(b, at + 4, end) !== readU32BE(b, end)) return corrupt(`CRC mismatch in chunk ${type}`);
    if (ihdr === null && type !== 'IHDR') return corrupt(`first chunk is ${type}, not IHDR`);
    switch (type) {
      case 'IHDR': {
        if (length !== 13) return corrupt(`IHDR has ${length} bytes`);
        ihdr = {
          width: readU32BE(b, data),
          height: readU32BE(b, data + 4),
          bitDepth: b[data + 8] ?? 0,
          colourType: b[data + 9] ?? 0,
        };
        break;
      }
      case 'tRNS':
        transparency = true;
        break;
      case 'acTL':
        animated = readU32BE(b, data) > 1;
        break;
      case 'eXIf':
        orientation = exifOrientation(b, data, end);
        break;
      case 'IEND': {
        if (ihdr === null) return corrupt('no IHDR');
        const { width, height, bitDepth, colourType } = ihdr;
        const type = PNG_COLOUR_TYPES.get(colourType);
        if (type === undefined) return corrupt(`colour type ${colourType}`);
        const [colour, alphaChannel, depths] = type;
        if (!depths.includes(bitDepth))
          return corrupt(`bit depth ${bitDepth} with colour type ${colourType}`);
        if (width === 0 || height === 0 || width > PNG_MAX_U31 || height > PNG_MAX_U31) {
          return corrupt(`IHDR says ${width} × ${height}`);
        }
        return header({
          width,
          height,
          bitDepth,
          colour,
          hasAlpha: alphaChannel || transparency,
          animated,
          orientation,
        });
      }
    }
    at = end + 4;
  }
}

// ---------------------------------------------------------------------------------------------
// GIF (GIF89a spec): logical screen descriptor, then blocks up to the second frame or the trailer

function parseGif(b: Uint8Array): HeaderResult {
  if (b.length < 13) return truncated('ends inside the logical screen descriptor');
  const width = readU16LE(b, 6);
  const height = readU16LE(b, 8);
  if (width === 0 || height === 0) return corrupt(`logical screen is ${width} × ${height}`);
  const packed = b[10] ?? 0;
  let at = 13 + (packed & 0x80 ? 3 << ((packed & 0x07) + 1) : 0);
  let frames = 0;
  let hasAlpha = false;
  const done = () => header({ width, height, colour: 'indexed', hasAlpha, animated: frames > 1 });
  // Walks blocks until a second frame proves animation. A missing trailer or a damaged later frame
  // after a complete first one is common in the wild and every decoder shows the first frame, so
  // only a file cut inside its first frame counts as truncated.
  const cut = (detail: string) => (frames === 0 ? truncated(detail) : done());
  while (frames < 2) {
    if (at >= b.length) return cut('ends before the first frame');
    const block = b[at];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      // Graphic control extension with the transparent-colour flag set.
      if (b[at + 1] === 0xf9 && ((b[at + 3] ?? 0) & 0x01) !== 0) hasAlpha = true;
      const next = skipSubBlocks(b, at + 2);
      if (next === null) return cut('ends inside an extension');
      at = next;
    } else if (block === 0x2c) {
      if (at + 10 > b.length) return cut('ends inside an image descriptor');
      const local = b[at + 9] ?? 0;
      at += 10 + (local & 0x80 ? 3 << ((local & 0x07) + 1) : 0);
      const next = skipSubBlocks(b, at + 1); // after the LZW minimum code size byte
      if (next === null) return cut('ends inside the first frame');
      at = next;
      frames++;
    } else if (frames === 0) {
      return corrupt(`unknown block 0x${(block ?? 0).toString(16)} before the first frame`);
    } else {
      break;
    }
  }
  return frames === 0 ? corrupt('no frame') : done();
}

/** Position after a chain of GIF data sub-blocks starting at `at`, or null if it runs past the end. */
function skipSubBlocks(b: Uint8Array, at: number): number | null {
  let p = at;
  for (;;) {
    if (p >= b.length) return null;
    const size = b[p] ?? 0;
    p += 1 + size;
    if (size === 0) return p;
  }
}

// ---------------------------------------------------------------------------------------------
// WebP (RFC 9649): RIFF container with a VP8, VP8L or VP8X first chunk

function parseWebp(b: Uint8Array): HeaderResult {
  if (b.length < 20) return truncated('ends inside the first chunk header');
  const riffEnd = 8 + readU32LE(b, 4);
  if (riffEnd > b.length) return truncated(`RIFF says ${riffEnd} bytes, file has ${b.length}`);
  const chunk = ascii(b, 12, 4);
  const data = 20;
  // Bytes each first chunk needs for its dimensions (VP8: frame tag, start code, sizes).
  const needed = chunk === 'VP8L' ? 5 : 10;
  if (b.length < data + needed) return truncated(`ends inside the ${chunk.trim()} header`);
  switch (chunk) {
    case 'VP8 ': {
      // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
      if (!startsWith(b, [0x9d, 0x01, 0x2a], data + 3)) return corrupt('VP8 start code missing');
      const width = readU16LE(b, data + 6) & 0x3fff;
      const height = readU16LE(b, data + 8) & 0x3fff;
      return webpHeader(width, height, false, false, 1);
    }
    case 'VP8L': {
      if (b[data] !== 0x2f) return corrupt('VP8L signature missing');
      const bits = readU32LE(b, data + 1);
      const width = (bits & 0x3fff) + 1;
      const height = ((bits >>> 14) & 0x3fff) + 1;
      return webpHeader(width, height, ((bits >>> 28) & 1) === 1, false, 1);
    }
    case 'VP8X': {
      const flags = b[data] ?? 0;
      const width = readU24LE(b, data + 4) + 1;
      const height = readU24LE(b, data + 7) + 1;
      const orientation = flags & 0x08 ? webpExifOrientation(b, riffEnd) : 1;
      return webpHeader(width, height, (flags & 0x10) !== 0, (flags & 0x02) !== 0, orientation);
    }
    default:
      return corrupt(`first chunk is ${JSON.stringify(chunk)}`);
  }
}

function webpHeader(
  width: number,
  height: number,
  hasAlpha: boolean,
  animated: boolean,
  orientation: ExifOrientation,
): HeaderResult {
  if (width === 0 || height === 0) return corrupt(`frame is ${width} × ${height}`);
  return header({ width, height, colour: 'rgb', hasAlpha, animated, orientation });
}

function webpExifOrientation(b: Uint8Array, riffEnd: number): ExifOrientation {
  for (let at = 12; at + 8 <= riffEnd; ) {
    const size = readU32LE(b, at + 4);
    if (ascii(b, at, 4) === 'EXIF') {
      const start = at + 8;
      // Some writers keep JPEG's "Exif\0\0" prefix inside the chunk.
      return exifOrientation(
        b,
        ascii(b, start, 6) === EXIF_ID ? start + 6 : start,
        Math.min(start + size, riffEnd),
      );
    }
    at += 8 + size + (size & 1); // chunks are padded to even sizes
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// BMP: file header (14 bytes) + BITMAPCOREHEADER (12) or BITMAPINFOHEADER and its successors

function parseBmp(b: Uint8Array): HeaderResult {
  const dibSize = readU32LE(b, 14);
  if (b.length < 14 + dibSize) return truncated('ends inside the bitmap header');
  const core = dibSize === 12;
  const width = core ? readU16LE(b, 18) : readI32LE(b, 18);
  const signedHeight = core ? readU16LE(b, 20) : readI32LE(b, 22);
  const bitDepth = core ? readU16LE(b, 24) : readU16LE(b, 28);
  const height = Math.abs(signedHeight); // negative: rows stored top-down
  if (width <= 0 || height === 0) return corrupt(`bitmap header says ${width} × ${signedHeight}`);
  const pixelOffset = readU32LE(b, 10);
  if (pixelOffset > b.length) return truncated('ends before the pixel data');
  return header({
    width,
    height,
    bitDepth,
    colour: bitDepth <= 8 ? 'indexed' : 'rgb',
    hasAlpha: bitDepth === 32 && dibSize >= 56,
  });
}
