/**
 * A photo with its detected faces drawn over it: numbered boxes and the five landmarks. The overlay
 * is an SVG in the analysed image's coordinates; `meet` scaling lines it up with the image's
 * `object-fit: contain`, whatever the card's shape.
 */
import { memo, useId, useState } from 'react';
import type { Verdict } from '../state/scoring.ts';
import type { AnalyzedFace } from '../worker/api.ts';
import { PhotosIcon } from './icons.tsx';

export interface FigureFace {
  readonly face: AnalyzedFace;
  /** Colours the box; null while there is nothing to compare with. */
  readonly verdict: Verdict | null;
  readonly label?: string;
}

interface PhotoFigureProps {
  readonly url: string;
  readonly alt: string;
  /** The analysed image size the boxes refer to; null before analysis. */
  readonly size: { readonly width: number; readonly height: number } | null;
  readonly faces: readonly FigureFace[];
  readonly showOverlay: boolean;
}

/** Label text size: readable on a thumbnail, but never more than a third of the face's height. */
const labelSize = (boxHeight: number, unit: number) =>
  Math.min(unit * 5, Math.max(unit * 2.5, boxHeight * 0.3));

/** Above the box when it fits (the face stays visible), else inside its top edge. */
const labelY = (y1: number, size: number, unit: number) =>
  y1 - unit > size ? y1 - unit * 0.6 : Math.max(y1, 0) + size;

export const PhotoFigure = memo(function PhotoFigure({
  url,
  alt,
  size,
  faces,
  showOverlay,
}: PhotoFigureProps) {
  const [broken, setBroken] = useState(false);
  const clipId = useId();
  const unit = size === null ? 1 : Math.max(size.width, size.height) / 100;
  return (
    <div className="photo-figure">
      {broken ? (
        <div className="photo-missing" aria-hidden="true">
          <PhotosIcon />
        </div>
      ) : (
        <img src={url} alt={alt} loading="lazy" decoding="async" onError={() => setBroken(true)} />
      )}
      {showOverlay && !broken && size !== null && faces.length > 0 && (
        <svg className="overlay" viewBox={`0 0 ${size.width} ${size.height}`} aria-hidden="true">
          {/* Boxes may reach past the photo (faces cut by the frame): keep them on the photo. */}
          <clipPath id={clipId}>
            <rect width={size.width} height={size.height} />
          </clipPath>
          {faces.map(({ face, verdict, label }, i) => {
            const [x1, y1, x2, y2] = face.box;
            const tone = verdict ?? 'neutral';
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: faces of one result never reorder
              <g key={i} className={`overlay-face tone-${tone}`} clipPath={`url(#${CSS.escape(clipId)})`}>
                <rect
                  x={x1}
                  y={y1}
                  width={x2 - x1}
                  height={y2 - y1}
                  rx={unit}
                  vectorEffect="non-scaling-stroke"
                />
                {face.landmarks.map(([x, y], j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the five landmarks have fixed positions
                  <circle key={j} cx={x} cy={y} r={unit * 0.9} />
                ))}
                <text
                  x={Math.max(x1, 0) + unit * 0.5}
                  y={labelY(y1, labelSize(y2 - y1, unit), unit)}
                  fontSize={labelSize(y2 - y1, unit)}
                >
                  {label ?? i + 1}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </div>
  );
});
