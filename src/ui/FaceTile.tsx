/**
 * One face of a photo to check: the aligned crop the model saw, its distance to the nearest
 * reference face and the verdict at the current threshold. The detection score shows on hover and
 * keyboard focus; activating the tile opens the side-by-side comparison.
 */
import { memo } from 'react';
import { type Nearest, verdictOf } from '../state/scoring.ts';
import type { AnalyzedFace } from '../worker/api.ts';
import { FaceCropImage } from './FaceCropImage.tsx';
import { formatDistance, formatPercent } from './format.ts';
import { distanceAttr, TEST_IDS } from './test-contract.ts';
import { VERDICT_LABELS, Verdict } from './Verdict.tsx';

interface FaceTileProps {
  readonly file: string;
  readonly index: number;
  readonly face: AnalyzedFace;
  readonly nearest: Nearest | undefined;
  readonly threshold: number;
  readonly onOpen: (index: number) => void;
}

export const FaceTile = memo(function FaceTile({
  file,
  index,
  face,
  nearest,
  threshold,
  onOpen,
}: FaceTileProps) {
  const verdict = nearest === undefined ? null : verdictOf(nearest.distance, threshold);
  const score = `Detection score ${formatPercent(face.score)}`;
  const summary =
    nearest === undefined || verdict === null
      ? `Face ${index + 1}, waiting for a reference face`
      : `Face ${index + 1}: distance ${formatDistance(nearest.distance)}, ${VERDICT_LABELS[verdict]}`;
  return (
    <li className={`face-tile tone-${verdict ?? 'neutral'}`}>
      <button
        type="button"
        className="face-button"
        onClick={() => onOpen(index)}
        disabled={nearest === undefined}
        aria-label={`${summary}. ${score}. Compare with the reference.`}
        title={score}
        data-testid={TEST_IDS.faceResult}
        data-file={file}
        data-face-index={index}
        {...(nearest !== undefined && verdict !== null
          ? { 'data-distance': distanceAttr(nearest.distance), 'data-verdict': verdict }
          : {})}
      >
        <FaceCropImage crop={face.crop} label={`Face ${index + 1}`} />
        <span className="face-index" aria-hidden="true">
          {index + 1}
        </span>
        <span className="face-meta" aria-hidden="true">
          {nearest === undefined || verdict === null ? (
            <span className="muted">No reference yet</span>
          ) : (
            <>
              <span className="distance">{formatDistance(nearest.distance)}</span>
              <Verdict verdict={verdict} />
            </>
          )}
        </span>
        <span className="face-tip" aria-hidden="true">
          {score}
        </span>
      </button>
    </li>
  );
});
