/**
 * An aligned face crop from the worker (RGBA pixels) shown as an <img>. The pixels become a BMP
 * data URL (a header in front of the bytes, see bmp.ts): no canvas, no Blob, no object URL to
 * revoke. Each crop is made in an idle task of its own, so a group photo's six faces, or a grid's
 * worth of them, never add up to a long task; the browser decodes the image off the main thread.
 * Images, unlike hundreds of <canvas> elements, do not each become a compositing layer, which kept
 * scrolling a 100-photo grid janky.
 */
import { memo, useEffect, useState } from 'react';
import type { FaceCrop } from '../worker/api.ts';
import { bmpDataUrl } from './bmp.ts';
import { whenIdle } from './when-idle.ts';

/** The crop's data URL, or null for a malformed crop (a missing thumbnail is not worth an error). */
function cropUrl(crop: FaceCrop): string | null {
  try {
    return bmpDataUrl(crop);
  } catch {
    return null;
  }
}

export const FaceCropImage = memo(function FaceCropImage({ crop, label }: { crop: FaceCrop; label: string }) {
  // Remembers which crop the URL shows, so a new crop never shows the previous face meanwhile.
  const [shown, setShown] = useState<{ readonly crop: FaceCrop; readonly url: string | null } | null>(null);
  useEffect(() => whenIdle(() => setShown({ crop, url: cropUrl(crop) })), [crop]);
  const url = shown?.crop === crop ? shown.url : null;
  return url === null ? (
    <span className="face-crop placeholder" role="img" aria-label={label} />
  ) : (
    <img
      className="face-crop"
      src={url}
      alt={label}
      width={crop.width}
      height={crop.height}
      decoding="async"
    />
  );
});
