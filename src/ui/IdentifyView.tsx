/**
 * Identification: who is this? A gallery of named people, and photos whose every face is labelled
 * with the nearest person or "Unknown".
 */
import { useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSession } from '../state/session-store.ts';
import { DropZone } from './DropZone.tsx';
import { GalleryPanel } from './GalleryPanel.tsx';
import { PhotosIcon } from './icons.tsx';
import { ProbeCard } from './ProbeCard.tsx';
import { QueueBar } from './QueueBar.tsx';
import { ThresholdControl } from './ThresholdControl.tsx';
import { useGallery } from './useGallery.ts';
import { usePasteFallback } from './usePasteFallback.ts';
import { useRevealCount } from './useRevealCount.ts';

export function IdentifyView() {
  const probeIds = useSession(useShallow((s) => s.order.filter((id) => s.photos[id]?.role === 'probe')));
  const addPhotos = useSession((s) => s.addPhotos);
  const clearRole = useSession((s) => s.clearRole);
  const gallery = useGallery();
  const addProbes = useCallback((files: File[]) => addPhotos('probe', files), [addPhotos]);
  usePasteFallback(addProbes);
  const revealed = useRevealCount(probeIds.length);

  return (
    <div className="view identify-view">
      <div className="inputs">
        <GalleryPanel />
        <section className="panel input-panel" aria-labelledby="probes-heading">
          <header className="section-head">
            <h2 id="probes-heading">
              <span className="step">2</span> Photos to identify
            </h2>
            {probeIds.length > 0 && (
              <button type="button" className="link-button" onClick={() => clearRole('probe')}>
                Clear all
              </button>
            )}
          </header>
          <DropZone
            title={probeIds.length === 0 ? 'Add photos to identify' : 'Add more photos'}
            hint="Every face is labelled with the nearest gallery person, or Unknown."
            onFiles={addProbes}
            testId="probes"
            icon={<PhotosIcon />}
            compact={probeIds.length > 0}
          />
          <ThresholdControl />
        </section>
      </div>
      <QueueBar />
      <section aria-labelledby="identified-heading" className="results">
        <header className="section-head">
          <h2 id="identified-heading">Identified faces</h2>
        </header>
        {probeIds.length === 0 ? (
          <p className="empty-note">Photos you add here get a card with every face labelled.</p>
        ) : (
          <div className="result-grid">
            {probeIds.slice(0, revealed).map((id) => (
              <ProbeCard key={id} id={id} gallery={gallery} />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
