/**
 * The frame both result cards share (verification's ResultCard, identification's ProbeCard): the
 * test contract's attributes, the photo with its faces outlined, the file name with Remove, then
 * the card's own body, then how long the analysis took.
 */
import type { ReactNode } from 'react';
import { contractStatus, type Photo, type PhotoResult } from '../state/photo.ts';
import { formatMs } from './format.ts';
import { type FigureFace, PhotoFigure } from './PhotoFigure.tsx';
import { RemovePhotoButton } from './RemovePhotoButton.tsx';
import { TEST_IDS } from './test-contract.ts';

interface PhotoCardProps {
  readonly photo: Photo;
  /** The result shown, or null while there is none (or it belongs to another model). */
  readonly result: PhotoResult | null;
  readonly faces: readonly FigureFace[];
  readonly showOverlays: boolean;
  readonly onRemove: () => void;
  readonly className: string;
  /** Extra attributes for the card element (e.g. data-outcome, aria-label). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Hover text on the timing line. */
  readonly timingTitle?: string;
  readonly children: ReactNode;
}

export function PhotoCard({
  photo,
  result,
  faces,
  showOverlays,
  onRemove,
  className,
  attributes,
  timingTitle,
  children,
}: PhotoCardProps) {
  return (
    <article
      className={className}
      data-testid={TEST_IDS.photoResult}
      data-file={photo.name}
      data-status={contractStatus(photo.status)}
      {...attributes}
    >
      <PhotoFigure
        url={photo.url}
        alt=""
        size={result === null ? null : { width: result.width, height: result.height }}
        faces={faces}
        showOverlay={showOverlays}
      />
      <div className="card-body">
        <header className="card-header">
          <h3 className="file-name" title={photo.name}>
            {photo.name}
          </h3>
          <RemovePhotoButton name={photo.name} onRemove={onRemove} />
        </header>
        {children}
        {result !== null && (
          <p className="timing muted" title={timingTitle}>
            Analysed in {formatMs(result.timings.totalMs)}
          </p>
        )}
      </div>
    </article>
  );
}
