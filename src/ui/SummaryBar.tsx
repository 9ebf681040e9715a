/**
 * The answer in one line — "3 of 7 photos show the reference person" — with the counts behind it
 * and the exports. Counts follow the threshold live.
 */
import { useMemo } from 'react';
import { buildVerificationExport, toCsv, toJson } from '../state/export.ts';
import { isInFlight } from '../state/photo.ts';
import { summarize } from '../state/scoring.ts';
import { useSession, useSessionStore } from '../state/session-store.ts';
import { downloadText, timestampedName } from './download.ts';
import { plural } from './format.ts';
import { AlertIcon, CheckIcon, CrossIcon, DownloadIcon, NoFaceIcon } from './icons.tsx';
import { TEST_IDS } from './test-contract.ts';

/** How far the reference is: the summary can only count matches once a reference face exists. */
export type ReferenceState = 'none' | 'pending' | 'no-face' | 'ready';

const WAITING_HEADLINES: Readonly<Record<Exclude<ReferenceState, 'ready'>, string>> = {
  none: 'Add a reference photo to compare against',
  pending: 'Finding the reference face…',
  'no-face': 'No face found in the reference — add another photo of the person',
};

export function SummaryBar({ reference }: { reference: ReferenceState }) {
  const store = useSessionStore();
  const photos = useSession((s) => s.photos);
  const order = useSession((s) => s.order);
  const scores = useSession((s) => s.scores);
  const threshold = useSession((s) => s.threshold);
  const tests = useMemo(
    () =>
      order.flatMap((id) => {
        const photo = photos[id];
        return photo?.role === 'test' ? [photo] : [];
      }),
    [order, photos],
  );
  const summary = useMemo(() => summarize(tests, scores, threshold), [tests, scores, threshold]);
  const inFlight = tests.filter((p) => isInFlight(p.status)).length;

  const exportAs = (kind: 'csv' | 'json') => {
    const { photos: all, order: ids, scores: s, embedder, threshold: t } = store.getState();
    const data = buildVerificationExport(
      ids.flatMap((id) => all[id] ?? []),
      s,
      embedder,
      t,
    );
    if (kind === 'csv') downloadText(toCsv(data), timestampedName('facecheck-results', 'csv'), 'text/csv');
    else downloadText(toJson(data), timestampedName('facecheck-results', 'json'), 'application/json');
  };

  const decided = summary.total - summary.pending;
  const headline =
    reference !== 'ready'
      ? WAITING_HEADLINES[reference]
      : `${summary.match} of ${plural(summary.total, 'photo')} ${summary.match === 1 ? 'shows' : 'show'} the reference person`;

  return (
    <section
      className="summary-bar"
      aria-label="Summary"
      data-testid={TEST_IDS.summary}
      data-match={summary.match}
      data-no-match={summary.noMatch}
      data-no-face={summary.noFace}
      data-error={summary.error}
      data-pending={summary.pending}
      data-total={summary.total}
    >
      <div className="summary-text">
        <p className="summary-headline" data-testid="summary-headline">
          {headline}
        </p>
        {summary.total > 0 && (
          <div className="summary-meter" aria-hidden="true">
            {(
              [
                ['match', summary.match],
                ['no-match', summary.noMatch],
                ['no-face', summary.noFace],
                ['error', summary.error],
                ['pending', summary.pending],
              ] as const
            ).map(([kind, n]) =>
              n > 0 ? <span key={kind} className={`seg-${kind}`} style={{ flexGrow: n }} /> : null,
            )}
          </div>
        )}
        <ul className="summary-counts">
          <li className="count count-match">
            <CheckIcon /> {summary.match} match{summary.match === 1 ? '' : 'es'}
          </li>
          <li className="count count-no-match">
            <CrossIcon /> {summary.noMatch} no match
          </li>
          <li className="count count-no-face">
            <NoFaceIcon /> {summary.noFace} no face
          </li>
          <li className="count count-error">
            <AlertIcon /> {plural(summary.error, 'error')}
          </li>
          {inFlight > 0 && (
            <li className="count count-pending">
              <span className="spinner" aria-hidden="true" /> {inFlight} to go
            </li>
          )}
        </ul>
      </div>
      <div className="summary-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => exportAs('csv')}
          disabled={decided === 0}
        >
          <DownloadIcon /> CSV
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() => exportAs('json')}
          disabled={decided === 0}
        >
          <DownloadIcon /> JSON
        </button>
      </div>
    </section>
  );
}
