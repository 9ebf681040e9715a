/**
 * A face crop drawn into a canvas. The kiosk shows faces this way rather than through object URLs,
 * so there is no blob: URL to forget to revoke: unmounting the canvas is all it takes.
 */
import { useEffect, useRef } from 'react';
import type { FaceCrop } from '../../worker/api.ts';

export function FaceCanvas({ crop, label }: { crop: FaceCrop; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    // A copy: the store zeroes its pixels on reset, and the canvas keeps its own until unmounted.
    context?.putImageData(new ImageData(new Uint8ClampedArray(crop.rgba), crop.width, crop.height), 0, 0);
  }, [crop]);
  return (
    <canvas
      ref={canvas}
      className="kiosk-face"
      width={crop.width}
      height={crop.height}
      role="img"
      aria-label={label}
    />
  );
}
