import { describe, expect, it } from 'vitest';
import { BMP_HEADER_BYTES, bmpDataUrl, bmpHeader } from './bmp.ts';

const PREFIX = 'data:image/bmp;base64,';

/** The bytes of a BMP data URL. */
function bytesOf(url: string): Uint8Array {
  expect(url.startsWith(PREFIX)).toBe(true);
  return new Uint8Array(Buffer.from(url.slice(PREFIX.length), 'base64'));
}

describe('bmpDataUrl', () => {
  it('writes a top-down 32-bit bit-field BMP whose pixel bytes are the RGBA bytes', () => {
    const rgba = new Uint8ClampedArray([
      255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 10, 20, 30, 40, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const bytes = bytesOf(bmpDataUrl({ width: 3, height: 2, rgba }));
    const view = new DataView(bytes.buffer);
    expect(String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0)).toBe('BM');
    expect(view.getUint32(2, true)).toBe(bytes.length);
    expect(bytes.length).toBe(BMP_HEADER_BYTES + 24);
    expect(view.getUint32(10, true)).toBe(BMP_HEADER_BYTES); // pixel data offset
    expect(view.getUint32(14, true)).toBe(108); // BITMAPV4HEADER
    expect(view.getInt32(18, true)).toBe(3);
    expect(view.getInt32(22, true)).toBe(-2); // top down
    expect(view.getUint16(26, true)).toBe(1);
    expect(view.getUint16(28, true)).toBe(32);
    expect(view.getUint32(30, true)).toBe(3); // BI_BITFIELDS
    expect(view.getUint32(34, true)).toBe(24);
    expect([54, 58, 62, 66].map((at) => view.getUint32(at, true))).toEqual([
      0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000,
    ]);
    expect([...bytes.subarray(BMP_HEADER_BYTES)]).toEqual([...rgba]);
  });

  it('keeps every byte of a face-sized crop (longer than one encoding chunk)', () => {
    const rgba = Uint8ClampedArray.from({ length: 112 * 112 * 4 }, (_, i) => (i * 7 + (i >> 9)) % 256);
    const bytes = bytesOf(bmpDataUrl({ width: 112, height: 112, rgba }));
    expect(bytes.length).toBe(BMP_HEADER_BYTES + rgba.length);
    expect(Buffer.from(bytes.subarray(BMP_HEADER_BYTES)).equals(Buffer.from(rgba))).toBe(true);
  });

  it('refuses a buffer that does not match the size', () => {
    expect(() => bmpDataUrl({ width: 2, height: 2, rgba: new Uint8ClampedArray(15) })).toThrow(RangeError);
    expect(() => bmpHeader(0, 4)).toThrow(RangeError);
    expect(() => bmpHeader(1.5, 4)).toThrow(RangeError);
  });
});
