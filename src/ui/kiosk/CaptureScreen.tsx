/**
 * Enrol or verify: the camera preview with live guidance, and one big button that captures when the
 * framing is right. The camera runs only while this screen is shown (and the page is visible).
 */
import { useEffect, useState } from 'react';
import type { CaptureAttempt, CaptureProblem, KioskFace, KioskStore } from '../../state/kiosk-store.ts';
import type { EngineClient } from '../../worker/client.ts';
import { CameraView } from './CameraView.tsx';
import { captureFace } from './capture.ts';
import { FaceCanvas } from './FaceCanvas.tsx';
import { type GuidanceText, guidanceText } from './guidance.ts';
import { useCamera } from './useCamera.ts';
import { hasFrame, useFrameGuidance } from './useFrameGuidance.ts';

interface CaptureScreenProps {
  readonly purpose: 'enroll' | 'verify';
  readonly attempt: CaptureAttempt;
  /** The enrolled face, shown as a reminder while verifying. */
  readonly reference: KioskFace | null;
  readonly client: EngineClient;
  readonly store: KioskStore;
}

function problemText(problem: CaptureProblem): GuidanceText {
  switch (problem.kind) {
    case 'guidance': {
      const text = guidanceText(problem.guidance);
      return { ...text, title: `Let's try that again: ${text.title.toLowerCase()}` };
    }
    case 'liveness':
      return {
        title: 'This looks like a photo or a screen',
        detail: `Please show your own face to the camera. (Liveness score ${problem.liveness.score.toFixed(2)}, limit ${problem.liveness.threshold.toFixed(2)}.)`,
        tone: 'warn',
      };
    case 'failed':
      return { title: 'Something went wrong', detail: problem.message, tone: 'warn' };
  }
}

export function CaptureScreen({ purpose, attempt, reference, client, store }: CaptureScreenProps) {
  const camera = useCamera(true);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [frameSize, setFrameSize] = useState<{ width: number; height: number } | null>(null);
  const live = useFrameGuidance(video, camera.kind === 'on' && attempt.kind === 'live', client);

  useEffect(() => {
    if (video === null) return;
    video.srcObject = camera.kind === 'on' ? camera.stream : null;
    const onData = () => setFrameSize({ width: video.videoWidth, height: video.videoHeight });
    video.addEventListener('loadeddata', onData);
    return () => video.removeEventListener('loadeddata', onData);
  }, [video, camera]);

  const text: GuidanceText | null =
    attempt.kind === 'refused'
      ? problemText(attempt.problem)
      : attempt.kind === 'analysing'
        ? { title: 'Checking…', detail: 'Hold on a moment.', tone: 'ok' }
        : live === null
          ? null
          : guidanceText(live.guidance);
  const canCapture =
    attempt.kind === 'live' && camera.kind === 'on' && live?.guidance.kind === 'ok' && video !== null;

  const capture = () => {
    if (video !== null && hasFrame(video)) void captureFace(video, client, store);
  };

  return (
    <section
      className="kiosk-capture"
      aria-label={purpose === 'enroll' ? 'Reference photo' : 'Verification photo'}
    >
      <CameraView
        camera={camera}
        videoRef={setVideo}
        live={attempt.kind === 'live' ? live : null}
        frameSize={frameSize}
      />
      <div className="kiosk-side">
        <div className="kiosk-instructions">
          {reference === null ? (
            <>
              <h1 className="kiosk-title">Your reference photo</h1>
              <p>Look straight into the camera and keep your face inside the oval.</p>
            </>
          ) : (
            <div className="kiosk-reference">
              <FaceCanvas crop={reference.crop} label="Your reference photo" />
              <div>
                <h1 className="kiosk-title">Now a second photo</h1>
                <p>It is compared with your reference ✓</p>
              </div>
            </div>
          )}
        </div>
        <div
          className={`kiosk-banner ${text?.tone === 'ok' ? 'kiosk-banner-ok' : 'kiosk-banner-warn'}`}
          data-testid="kiosk-guidance"
          data-kind={attempt.kind === 'live' ? (live?.guidance.kind ?? 'pending') : attempt.kind}
          aria-live="polite"
        >
          {text === null ? (
            <p className="kiosk-banner-title">Looking for your face…</p>
          ) : (
            <>
              <p className="kiosk-banner-title">{text.title}</p>
              <p className="kiosk-banner-detail">{text.detail}</p>
            </>
          )}
        </div>
        {attempt.kind === 'refused' ? (
          <button
            type="button"
            className="kiosk-button kiosk-button-primary kiosk-button-huge"
            onClick={() => store.getState().retry()}
          >
            Try again
          </button>
        ) : (
          <button
            type="button"
            className="kiosk-button kiosk-button-primary kiosk-button-huge"
            onClick={capture}
            disabled={!canCapture}
            data-testid="kiosk-capture"
          >
            {attempt.kind === 'analysing'
              ? 'Checking…'
              : purpose === 'enroll'
                ? 'Take reference photo'
                : 'Take photo to verify'}
          </button>
        )}
      </div>
    </section>
  );
}
