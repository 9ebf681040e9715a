/**
 * Draws FaceCheck's app icon as SVG and rasterises it with sharp into public/icons/:
 *
 * - icon.svg            favicon (browsers that take SVG)
 * - icon-192.png        manifest icon, purpose "any" (Chromium's installability minimum)
 * - icon-512.png        manifest icon, purpose "any" (splash screen size)
 * - maskable-512.png    manifest icon, purpose "maskable": full-bleed background, the mark inside
 *                       the central safe circle (radius 40 %), so any launcher mask keeps it whole
 * - apple-touch-icon.png 180×180, for iOS home screens (which ignore the manifest's icons)
 *
 * Run: `npm run icons`. The PNGs are committed; rerun after changing the drawing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../public/icons');
const SIZE = 512;

/** Same blue as the app's accent (src/ui/styles.css `--accent`), darker towards the corner. */
const BACKGROUND = `
  <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#3a72e8"/>
    <stop offset="1" stop-color="#1a46a8"/>
  </linearGradient>`;

/**
 * The mark, drawn on a 512 grid around the centre: camera viewfinder corners around a face, and a
 * green check badge (verified). Kept within 226 px of the centre, so scaling by 0.78 fits it in
 * the maskable safe circle (205 px).
 */
const MARK = `
  <g fill="none" stroke="#ffffff" stroke-width="30" stroke-linecap="round" stroke-linejoin="round">
    <path d="M104 184 V136 a32 32 0 0 1 32 -32 H184"/>
    <path d="M328 104 H376 a32 32 0 0 1 32 32 V184"/>
    <path d="M104 328 V376 a32 32 0 0 0 32 32 H184"/>
  </g>
  <g fill="#ffffff">
    <circle cx="256" cy="222" r="68"/>
    <path d="M148 388 c8 -62 52 -98 108 -98 s100 36 108 98 z"/>
  </g>
  <circle cx="368" cy="368" r="74" fill="#17a34a" stroke="#1a46a8" stroke-width="14"/>
  <path d="M334 370 l24 24 l44 -48" fill="none" stroke="#ffffff" stroke-width="22" stroke-linecap="round" stroke-linejoin="round"/>`;

type Variant = 'any' | 'maskable';

export function iconSvg(variant: Variant): string {
  const background =
    variant === 'any'
      ? `<rect width="${SIZE}" height="${SIZE}" rx="112" fill="url(#bg)"/>`
      : `<rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>`;
  const scale = variant === 'any' ? 1 : 0.78;
  const offset = (SIZE * (1 - scale)) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}">
  <defs>${BACKGROUND}
  </defs>
  ${background}
  <g transform="translate(${offset} ${offset}) scale(${scale})">${MARK}
  </g>
</svg>
`;
}

async function png(svg: string, size: number, file: string): Promise<void> {
  const data = await sharp(Buffer.from(svg), { density: (72 * size) / SIZE })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toBuffer();
  await writeFile(join(OUT, file), data);
  console.log(`${file}: ${size}×${size}, ${data.length} bytes`);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const any = iconSvg('any');
  const maskable = iconSvg('maskable');
  await writeFile(join(OUT, 'icon.svg'), any);
  await png(any, 192, 'icon-192.png');
  await png(any, 512, 'icon-512.png');
  await png(maskable, 512, 'maskable-512.png');
  // iOS draws its own rounded corners over an opaque square.
  await png(maskable, 180, 'apple-touch-icon.png');
}

await main();
