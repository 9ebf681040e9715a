/**
 * The verdict in large type: same person or not, the distance behind it and the threshold it was
 * compared with, both faces side by side, and the liveness score when the check is on.
 */
import type { KioskFace, KioskVerdict } from '../../state/kiosk-store.ts';
import { FaceCanvas } from './FaceCanvas.tsx';

interface ResultScreenProps {
  readonly reference: KioskFace;
  readonly result: KioskVerdict;
  readonly onVerifyAgain: () => void;
  readonly onFinish: () => void;
}

function LivenessNote({ face }: { face: KioskFace }) {
  if (face.liveness === null) return null;
  const { score, threshold } = face.liveness;
  return (
    <p className="kiosk-liveness" data-testid="kiosk-liveness">
      Liveness check passed (score {score.toFixed(2)}, limit {threshold.toFixed(2)}). It deters photos and
      screens held up to the camera; it is not proof that a real person was present.
    </p>
  );
}

export function ResultScreen({ reference, result, onVerifyAgain, onFinish }: ResultScreenProps) {
  const match = result.verdict === 'match';
  return (
    <section className="kiosk-result" aria-labelledby="kiosk-verdict-title">
      <div
        className={match ? 'kiosk-verdict kiosk-verdict-match' : 'kiosk-verdict kiosk-verdict-no-match'}
        data-testid="kiosk-verdict"
        data-verdict={result.verdict}
        data-distance={result.distance.toFixed(4)}
        role="status"
      >
        <span className="kiosk-verdict-icon" aria-hidden="true">
          {match ? '✓' : '✗'}
        </span>
        <h1 id="kiosk-verdict-title" className="kiosk-verdict-title">
          {match ? 'Same person' : 'Not the same person'}
        </h1>
        <p className="kiosk-distance">
          Distance <strong className="kiosk-distance-value">{result.distance.toFixed(2)}</strong>
        </p>
        <p className="kiosk-threshold">
          Same person when the distance is {result.threshold.toFixed(2)} or less.
        </p>
      </div>
      <div className="kiosk-pair">
        <figure>
          <FaceCanvas crop={reference.crop} label="Reference photo" />
          <figcaption>Reference</figcaption>
        </figure>
        <figure>
          <FaceCanvas crop={result.probe.crop} label="New photo" />
          <figcaption>Just now</figcaption>
        </figure>
      </div>
      <LivenessNote face={result.probe} />
      <div className="kiosk-actions">
        <button
          type="button"
          className="kiosk-button kiosk-button-primary kiosk-button-large"
          onClick={onVerifyAgain}
        >
          Verify again
        </button>
        <button type="button" className="kiosk-button kiosk-button-large" onClick={onFinish}>
          Finish and erase
        </button>
      </div>
    </section>
  );
}
