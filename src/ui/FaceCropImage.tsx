/**
 * An aligned face crop from the worker (RGBA pixels) shown as an <img>. Encoded to PNG once per
 * mounted crop (the encoding runs off the main thread) and shown through an object URL that is
 * revoked on unmount. Images, unlike hundreds of <canvas> elements, do not each become a
 * compositing layer, which kept scrolling a 100-photo grid janky.
 */
import { memo, useEffect, useState } from 'react';
import type { FaceCrop } from '../worker/api.ts';

async function encodePng(crop: FaceCrop): Promise<Blob> {
  const canvas = new OffscreenCanvas(crop.width, crop.height);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D context for a face crop');
  context.putImageData(
    new ImageData(crop.rgba as Uint8ClampedArray<ArrayBuffer>, crop.width, crop.height),
    0,
    0,
  );
  return canvas.convertToBlob({ type: 'image/png' });
}

export const FaceCropImage = memo(function FaceCropImage({ crop, label }: { crop: FaceCrop; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let created: string | null = null;
    encodePng(crop)
      .then((blob) => {
        if (!live) return;
        created = URL.createObjectURL(blob);
        setUrl(created);
      })
      .catch(() => {}); // leaves the placeholder: a missing thumbnail is not worth an error
    return () => {
      live = false;
      if (created !== null) URL.revokeObjectURL(created);
    };
  }, [crop]);
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
