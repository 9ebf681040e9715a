/**
 * What is happening to a photo that has no result yet, or why it has none: one short line with a
 * spinner or an icon. The failure message comes from the input policy and is rendered as text.
 * Only a photo the worker is on spins: a hundred queued photos with a hundred infinite animations
 * kept the page repainting and sent React an `animationiteration` event per spinner per turn.
 */
import { useEngineState } from '../state/engine-store.ts';
import type { Photo } from '../state/photo.ts';
import { AlertIcon, NoFaceIcon } from './icons.tsx';

const WORKING: Readonly<Record<'queued' | 'decoding' | 'detecting' | 'embedding', string>> = {
  queued: 'Waiting in line…',
  decoding: 'Reading the photo…',
  detecting: 'Finding faces…',
  embedding: 'Measuring faces…',
};

export function PhotoStatusLine({ photo }: { photo: Photo }) {
  const engineReady = useEngineState((s) => s.phase === 'ready');
  const { status } = photo;
  switch (status.kind) {
    case 'queued':
      return <Working text={engineReady ? WORKING.queued : 'Waiting for the face models to load…'} waiting />;
    case 'decoding':
      return <Working text={WORKING.decoding} />;
    case 'analyzing':
      return <Working text={WORKING[status.stage]} />;
    case 'cancelled':
      return <p className="status-line muted">Cancelled before it was analysed.</p>;
    case 'failed':
      return (
        <p className="status-line problem" data-testid="photo-problem" data-code={status.problem.code}>
          <AlertIcon className="status-icon" />
          <span>{status.problem.message}</span>
        </p>
      );
    case 'done':
      return status.result.faces.length === 0 ? (
        <p className="status-line no-face">
          <NoFaceIcon className="status-icon" />
          <span>No face found in this photo.</span>
        </p>
      ) : null;
  }
}

function Working({ text, waiting = false }: { text: string; waiting?: boolean }) {
  return (
    <p className="status-line working">
      <span className={waiting ? 'spinner waiting' : 'spinner'} aria-hidden="true" />
      <span>{text}</span>
    </p>
  );
}
