/**
 * Verification: who is in these photos? A reference person on the left, the photos to check on the
 * right; results appear card by card as the worker gets through them.
 */
import { useCallback, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { orderTests, type ResultOrder } from '../state/scoring.ts';
import { useSession } from '../state/session-store.ts';
import { CompareDialog, type CompareTarget } from './CompareDialog.tsx';
import { DistancePlot } from './DistancePlot.tsx';
import { DropZone } from './DropZone.tsx';
import { PersonIcon, PhotosIcon } from './icons.tsx';
import { QueueBar } from './QueueBar.tsx';
import { ReferenceList } from './ReferenceList.tsx';
import { ResultCard } from './ResultCard.tsx';
import { type ReferenceState, SummaryBar } from './SummaryBar.tsx';
import { ThresholdControl } from './ThresholdControl.tsx';
import { usePasteFallback } from './usePasteFallback.ts';
import { useRevealCount } from './useRevealCount.ts';

const ORDERS: readonly { readonly value: ResultOrder; readonly label: string }[] = [
  { value: 'added', label: 'As added' },
  { value: 'matches-first', label: 'Matches first' },
  { value: 'closest-first', label: 'Closest first' },
];

export function VerifyView() {
  const referenceIds = useSession(
    useShallow((s) => s.order.filter((id) => s.photos[id]?.role === 'reference')),
  );
  const testIds = useSession(useShallow((s) => s.order.filter((id) => s.photos[id]?.role === 'test')));
  const referenceState = useSession((s): ReferenceState => {
    const statuses = referenceIds.flatMap((id) => s.photos[id]?.status ?? []);
    if (statuses.length === 0) return 'none';
    if (statuses.some((st) => st.kind === 'done' && st.result.faces.length > 0)) return 'ready';
    return statuses.some((st) => st.kind !== 'done' && st.kind !== 'failed') ? 'pending' : 'no-face';
  });
  const addPhotos = useSession((s) => s.addPhotos);
  const clearRole = useSession((s) => s.clearRole);
  const showOverlays = useSession((s) => s.showOverlays);
  const setShowOverlays = useSession((s) => s.setShowOverlays);
  const [compare, setCompare] = useState<CompareTarget | null>(null);
  const [order, setOrder] = useState<ResultOrder>('added');
  const orderedIds = useSession(
    useShallow((s) => {
      const tests = testIds.flatMap((id) => s.photos[id] ?? []);
      return orderTests(tests, s.scores, s.threshold, order);
    }),
  );

  const addReferences = useCallback((files: File[]) => addPhotos('reference', files), [addPhotos]);
  const addTests = useCallback((files: File[]) => addPhotos('test', files), [addPhotos]);
  const openCompare = useCallback(
    (photoId: string, faceIndex: number) => setCompare({ photoId, faceIndex }),
    [],
  );
  usePasteFallback(addTests);

  const empty = referenceIds.length === 0 && testIds.length === 0;
  const revealed = useRevealCount(orderedIds.length);

  return (
    <div className="view verify-view">
      <div className="inputs">
        <section className="panel input-panel" aria-labelledby="reference-heading">
          <header className="section-head">
            <h2 id="reference-heading">
              <span className="step">1</span> Reference
            </h2>
            {referenceIds.length > 0 && (
              <button type="button" className="link-button" onClick={() => clearRole('reference')}>
                Clear
              </button>
            )}
          </header>
          <DropZone
            title={referenceIds.length === 0 ? 'Add a photo of the person' : 'Add another photo of them'}
            hint="Drop, paste, or press Enter to choose. One clear face per photo works best."
            onFiles={addReferences}
            testId="reference"
            icon={<PersonIcon />}
            compact={referenceIds.length > 0}
          />
          <ReferenceList ids={referenceIds} />
        </section>
        <section className="panel input-panel" aria-labelledby="tests-heading">
          <header className="section-head">
            <h2 id="tests-heading">
              <span className="step">2</span> Photos to check
            </h2>
            {testIds.length > 0 && (
              <button type="button" className="link-button" onClick={() => clearRole('test')}>
                Clear all
              </button>
            )}
          </header>
          <DropZone
            title={testIds.length === 0 ? 'Add the photos to check' : 'Add more photos'}
            hint="Any number of photos or folders: drop, paste, or press Enter to choose."
            onFiles={addTests}
            testId="tests"
            icon={<PhotosIcon />}
            compact={testIds.length > 0}
          />
          {testIds.length > 0 && (
            <p className="muted small">
              {testIds.length} photo{testIds.length === 1 ? '' : 's'} added. Photos never leave this device.
            </p>
          )}
        </section>
      </div>

      <QueueBar />

      {empty ? (
        <EmptyState />
      ) : (
        <>
          <SummaryBar reference={referenceState} />
          <section className="panel tuning" aria-label="Threshold and distances">
            <ThresholdControl />
            <DistancePlot />
          </section>
          <section aria-labelledby="results-heading" className="results">
            <header className="section-head">
              <h2 id="results-heading">Results</h2>
              <label className="order-picker">
                Order
                <select
                  value={order}
                  onChange={(e) =>
                    setOrder(ORDERS.find((o) => o.value === e.currentTarget.value)?.value ?? 'added')
                  }
                >
                  {ORDERS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="toggle">
                <input
                  type="checkbox"
                  checked={showOverlays}
                  onChange={(e) => setShowOverlays(e.currentTarget.checked)}
                />
                Show face boxes and landmarks
              </label>
            </header>
            {testIds.length === 0 ? (
              <p className="empty-note">
                Add photos to check: each gets a card here with every face it contains.
              </p>
            ) : (
              <div className="result-grid">
                {orderedIds.slice(0, revealed).map((id) => (
                  <ResultCard key={id} id={id} onCompare={openCompare} />
                ))}
              </div>
            )}
          </section>
        </>
      )}
      <CompareDialog target={compare} onClose={() => setCompare(null)} />
    </div>
  );
}

function EmptyState() {
  return (
    <section className="empty-state" aria-label="How it works">
      <ol>
        <li>
          <strong>Add a reference photo</strong> of the person you are looking for.
        </li>
        <li>
          <strong>Add the photos to check</strong> — files, whole folders, or a paste.
        </li>
        <li>
          <strong>See every face</strong> with its distance to the reference and a Match / No match verdict.
        </li>
      </ol>
      <p className="muted">Everything runs in this browser tab. No photo is uploaded or stored.</p>
    </section>
  );
}
