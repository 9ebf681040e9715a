/**
 * A photo to identify: every face labelled with the nearest gallery person and the distance, or
 * "Unknown" when nobody is within the threshold; the top 3 on demand.
 */
import { memo, useMemo, useState } from 'react';
import { type EnrolledPerson, type Identification, labelAt, rankPeople } from '../state/gallery.ts';
import { metricOf } from '../state/scoring.ts';
import { useSession } from '../state/session-store.ts';
import type { AnalyzedFace } from '../worker/api.ts';
import { FaceCropImage } from './FaceCropImage.tsx';
import { formatDistance, formatPercent } from './format.ts';
import { CheckIcon, QuestionIcon } from './icons.tsx';
import { PhotoCard } from './PhotoCard.tsx';
import type { FigureFace } from './PhotoFigure.tsx';
import { PhotoStatusLine } from './PhotoStatusLine.tsx';
import { distanceAttr, TEST_IDS } from './test-contract.ts';

interface ProbeCardProps {
  readonly id: string;
  readonly gallery: readonly EnrolledPerson[];
}

export const ProbeCard = memo(function ProbeCard({ id, gallery }: ProbeCardProps) {
  const photo = useSession((s) => s.photos[id]);
  const threshold = useSession((s) => s.threshold);
  const embedder = useSession((s) => s.embedder);
  const showOverlays = useSession((s) => s.showOverlays);
  const removePhoto = useSession((s) => s.removePhoto);
  const result =
    photo?.status.kind === 'done' && photo.status.result.embedder === embedder ? photo.status.result : null;

  // Distances depend on the gallery only; the threshold just relabels them.
  const ranked = useMemo(
    () => result?.faces.map((f) => rankPeople(f.embedding, gallery, metricOf(embedder), 3)) ?? [],
    [result, gallery, embedder],
  );
  const labels = useMemo(
    () => ranked.map((candidates) => labelAt(candidates, threshold)),
    [ranked, threshold],
  );
  const figureFaces = useMemo(
    (): FigureFace[] =>
      result?.faces.map((face, i) => {
        const label = labels[i];
        return {
          face,
          verdict:
            gallery.length === 0 || label === undefined
              ? null
              : label.kind === 'known'
                ? 'match'
                : 'no-match',
          label: label?.kind === 'known' ? label.match.name : '?',
        };
      }) ?? [],
    [result, labels, gallery.length],
  );
  if (photo === undefined) return null;

  return (
    <PhotoCard
      photo={photo}
      result={result}
      faces={figureFaces}
      showOverlays={showOverlays}
      onRemove={() => removePhoto(id)}
      className="card result-card"
    >
      <PhotoStatusLine photo={photo} />
      {result !== null && result.faces.length > 0 && (
        <ul className="identity-list" aria-label={`Faces in ${photo.name}`}>
          {result.faces.map((face, i) => (
            <IdentityRow
              // biome-ignore lint/suspicious/noArrayIndexKey: faces of one result never reorder
              key={i}
              file={photo.name}
              index={i}
              face={face}
              identification={labels[i]}
              hasGallery={gallery.length > 0}
            />
          ))}
        </ul>
      )}
    </PhotoCard>
  );
});

interface IdentityRowProps {
  readonly file: string;
  readonly index: number;
  readonly face: AnalyzedFace;
  readonly identification: Identification | undefined;
  readonly hasGallery: boolean;
}

function IdentityRow({ file, index, face, identification, hasGallery }: IdentityRowProps) {
  const [showTop, setShowTop] = useState(false);
  const known = identification?.kind === 'known';
  const nearest = identification?.candidates[0];
  const label =
    identification === undefined || !hasGallery
      ? 'No gallery yet'
      : known
        ? identification.match.name
        : 'Unknown';
  return (
    <li
      className={`identity-row tone-${!hasGallery ? 'neutral' : known ? 'match' : 'no-match'}`}
      data-testid={TEST_IDS.identityResult}
      data-file={file}
      data-face-index={index}
      data-label={
        identification === undefined || !hasGallery ? '' : known ? identification.match.name : 'unknown'
      }
      {...(nearest !== undefined ? { 'data-distance': distanceAttr(nearest.distance) } : {})}
    >
      <FaceCropImage crop={face.crop} label={`Face ${index + 1}`} />
      <div className="identity-text">
        <span className="identity-label">
          {hasGallery && (known ? <CheckIcon /> : <QuestionIcon />)}
          {label}
        </span>
        <span className="muted small" title={`Detection score ${formatPercent(face.score)}`}>
          {nearest === undefined
            ? `Face ${index + 1}`
            : known
              ? `Face ${index + 1} · distance ${formatDistance(nearest.distance)}`
              : `Face ${index + 1} · nearest: ${nearest.name}, ${formatDistance(nearest.distance)}`}
        </span>
        {identification !== undefined && identification.candidates.length > 1 && (
          <button
            type="button"
            className="link-button small"
            aria-expanded={showTop}
            onClick={() => setShowTop(!showTop)}
          >
            {showTop ? 'Hide top 3' : 'Top 3'}
          </button>
        )}
        {showTop && identification !== undefined && (
          <ol className="top-list" data-testid="top-candidates">
            {identification.candidates.map((c) => (
              <li key={c.personId}>
                <span>{c.name}</span>
                <span className="distance">{formatDistance(c.distance)}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </li>
  );
}
