/**
 * The card of one photo to check: the photo with its faces outlined, one tile per face, and — for a
 * photo without a result — what is happening or why it cannot be used. Subscribes to its own photo
 * and scores only, so a new result re-renders one card, not the grid.
 */
import { memo, useCallback, useMemo } from 'react';
import { type PhotoOutcome, photoOutcome, verdictOf } from '../state/scoring.ts';
import { useSession } from '../state/session-store.ts';
import { FaceTile } from './FaceTile.tsx';
import { formatMs, plural } from './format.ts';
import { CheckIcon, CrossIcon } from './icons.tsx';
import { PhotoCard } from './PhotoCard.tsx';
import type { FigureFace } from './PhotoFigure.tsx';
import { PhotoStatusLine } from './PhotoStatusLine.tsx';

const OUTCOME_LABELS: Readonly<Record<PhotoOutcome, string>> = {
  match: 'Shows the person',
  'no-match': 'Not the person',
  'no-face': 'No face',
  error: 'Cannot be used',
  pending: 'Pending',
};

interface ResultCardProps {
  readonly id: string;
  readonly onCompare: (photoId: string, faceIndex: number) => void;
}

export const ResultCard = memo(function ResultCard({ id, onCompare }: ResultCardProps) {
  // Not deferred (useDeferredValue): the card's data-status must never lag the store, or a result
  // could appear after a Cancel that the store already applied.
  const photo = useSession((s) => s.photos[id]);
  const nearest = useSession((s) => s.scores.get(id));
  const threshold = useSession((s) => s.threshold);
  const showOverlays = useSession((s) => s.showOverlays);
  const removePhoto = useSession((s) => s.removePhoto);
  const onOpen = useCallback((faceIndex: number) => onCompare(id, faceIndex), [id, onCompare]);

  const result = photo?.status.kind === 'done' ? photo.status.result : null;
  const figureFaces = useMemo(
    (): FigureFace[] =>
      result?.faces.map((face, i) => {
        const n = nearest?.[i];
        return { face, verdict: n === undefined ? null : verdictOf(n.distance, threshold) };
      }) ?? [],
    [result, nearest, threshold],
  );
  if (photo === undefined) return null;
  const outcome = photoOutcome(photo, nearest, threshold);

  return (
    <PhotoCard
      photo={photo}
      result={result}
      faces={figureFaces}
      showOverlays={showOverlays}
      onRemove={() => removePhoto(id)}
      className={`card result-card card-${outcome}`}
      attributes={{ 'data-outcome': outcome, 'aria-label': `${photo.name}: ${OUTCOME_LABELS[outcome]}` }}
      timingTitle={
        result === null
          ? undefined
          : `Decode ${formatMs(result.timings.decodeMs)} · detect ${formatMs(result.timings.detectMs)} · embed ${formatMs(result.timings.embedMs)}`
      }
    >
      {(outcome === 'match' || outcome === 'no-match') && (
        <p className={`outcome outcome-${outcome}`}>
          {outcome === 'match' ? <CheckIcon /> : <CrossIcon />}
          {OUTCOME_LABELS[outcome]}
          <span className="muted"> · {plural(result?.faces.length ?? 0, 'face')}</span>
        </p>
      )}
      <PhotoStatusLine photo={photo} />
      {result !== null && result.faces.length > 0 && (
        <ul className="face-tiles" aria-label={`Faces in ${photo.name}`}>
          {result.faces.map((face, i) => (
            <FaceTile
              // biome-ignore lint/suspicious/noArrayIndexKey: faces of one result never reorder
              key={i}
              file={photo.name}
              index={i}
              face={face}
              nearest={nearest?.[i]}
              threshold={threshold}
              onOpen={onOpen}
            />
          ))}
        </ul>
      )}
    </PhotoCard>
  );
});
