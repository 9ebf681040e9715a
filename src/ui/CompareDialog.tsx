/**
 * A face beside the reference face it is nearest to, large, with the distance and verdict: the view
 * for checking a decision by eye. A native modal <dialog>: focus moves into it, Esc closes it, and
 * focus returns to the tile that opened it.
 */
import { useEffect, useRef } from 'react';
import { verdictOf } from '../state/scoring.ts';
import { useSession } from '../state/session-store.ts';
import { FaceCropImage } from './FaceCropImage.tsx';
import { formatDistance, formatPercent } from './format.ts';
import { CloseIcon } from './icons.tsx';
import { Verdict } from './Verdict.tsx';

export interface CompareTarget {
  readonly photoId: string;
  readonly faceIndex: number;
}

export function CompareDialog({ target, onClose }: { target: CompareTarget | null; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const photo = useSession((s) => (target === null ? undefined : s.photos[target.photoId]));
  const nearest = useSession((s) =>
    target === null ? undefined : s.scores.get(target.photoId)?.[target.faceIndex],
  );
  const reference = useSession((s) =>
    nearest === undefined ? undefined : s.photos[nearest.reference.photoId],
  );
  const threshold = useSession((s) => s.threshold);

  const open = target !== null && photo !== undefined && nearest !== undefined;
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const face = photo?.status.kind === 'done' ? photo.status.result.faces[target?.faceIndex ?? -1] : undefined;
  const refFace =
    reference?.status.kind === 'done' && nearest !== undefined
      ? reference.status.result.faces[nearest.reference.faceIndex]
      : undefined;
  const verdict = nearest === undefined ? null : verdictOf(nearest.distance, threshold);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a backdrop click is a mouse shortcut; keyboards have Esc and the Close button
    <dialog
      ref={dialog}
      className="compare-dialog"
      aria-labelledby="compare-title"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
    >
      {open && face !== undefined && (
        <div className="compare-content">
          <header className="compare-header">
            <h2 id="compare-title">
              Face {target.faceIndex + 1} of {photo.name}
            </h2>
            <button
              type="button"
              className="icon-button"
              onClick={() => dialog.current?.close()}
              aria-label="Close"
            >
              <CloseIcon />
            </button>
          </header>
          <div className="compare-faces">
            <figure>
              <FaceCropImage crop={face.crop} label={`Face ${target.faceIndex + 1} of ${photo.name}`} />
              <figcaption>
                <strong>This face</strong>
                <span className="muted">detection score {formatPercent(face.score)}</span>
              </figcaption>
            </figure>
            <div className="compare-verdict">
              <span className="compare-distance">{formatDistance(nearest.distance)}</span>
              <span className="muted small">distance (threshold {formatDistance(threshold)})</span>
              {verdict !== null && <Verdict verdict={verdict} size="large" />}
            </div>
            <figure>
              {refFace !== undefined ? (
                <FaceCropImage crop={refFace.crop} label={`Reference face from ${reference?.name ?? ''}`} />
              ) : (
                <div className="face-crop placeholder" />
              )}
              <figcaption>
                <strong>Nearest reference</strong>
                <span className="muted">{reference?.name}</span>
              </figcaption>
            </figure>
          </div>
        </div>
      )}
    </dialog>
  );
}
