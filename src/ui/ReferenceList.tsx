/**
 * The reference photos: each with the face that stands for the person (its largest) outlined and
 * shown as a crop, or the reason it cannot be used.
 */
import { memo, useMemo } from 'react';
import { contractStatus } from '../state/photo.ts';
import { useSession } from '../state/session-store.ts';
import { FaceCropImage } from './FaceCropImage.tsx';
import { type FigureFace, PhotoFigure } from './PhotoFigure.tsx';
import { PhotoStatusLine } from './PhotoStatusLine.tsx';
import { RemovePhotoButton } from './RemovePhotoButton.tsx';

const ReferenceItem = memo(function ReferenceItem({ id }: { id: string }) {
  const photo = useSession((s) => s.photos[id]);
  const showOverlays = useSession((s) => s.showOverlays);
  const removePhoto = useSession((s) => s.removePhoto);
  const result = photo?.status.kind === 'done' ? photo.status.result : null;
  const reference = result?.faces[0];
  const faces = useMemo(
    (): FigureFace[] => (reference === undefined ? [] : [{ face: reference, verdict: null, label: '' }]),
    [reference],
  );
  if (photo === undefined) return null;
  return (
    <li
      className="reference-item"
      data-testid="reference-photo"
      data-file={photo.name}
      data-status={contractStatus(photo.status)}
    >
      <PhotoFigure
        url={photo.url}
        alt=""
        size={result === null ? null : { width: result.width, height: result.height }}
        faces={faces}
        showOverlay={showOverlays}
      />
      <div className="reference-body">
        <div className="reference-title">
          <span className="file-name" title={photo.name}>
            {photo.name}
          </span>
          <RemovePhotoButton name={photo.name} onRemove={() => removePhoto(id)} />
        </div>
        {reference !== undefined ? (
          <div className="reference-face">
            <FaceCropImage crop={reference.crop} label={`Reference face from ${photo.name}`} />
            <span className="muted">
              {result !== null && result.faces.length > 1
                ? `Largest of ${result.faces.length} faces is used`
                : 'Reference face'}
            </span>
          </div>
        ) : (
          <PhotoStatusLine photo={photo} />
        )}
      </div>
    </li>
  );
});

export function ReferenceList({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <ul className="reference-list" aria-label="Reference photos">
      {ids.map((id) => (
        <ReferenceItem key={id} id={id} />
      ))}
    </ul>
  );
}
