/**
 * The mirrored camera preview with an oval to aim for and the detector's face boxes on top. The
 * overlay shares the video's coordinate system (the analysed frame's pixels) and its `cover`
 * cropping, so a box sits on the face whatever the screen's shape.
 */
import type { CSSProperties, Ref } from 'react';
import type { CameraState } from './useCamera.ts';
import type { LiveGuidance } from './useFrameGuidance.ts';

interface CameraViewProps {
  readonly camera: CameraState;
  readonly videoRef: Ref<HTMLVideoElement>;
  readonly live: LiveGuidance | null;
  readonly frameSize: { readonly width: number; readonly height: number } | null;
}

export function CameraView({ camera, videoRef, live, frameSize }: CameraViewProps) {
  const size = live?.inspection ?? frameSize;
  const ok = live?.guidance.kind === 'ok';
  // The preview takes the camera's shape (4:3, 16:9…) at the largest size the screen allows, so
  // `cover` crops nothing and a face at the edge of the frame is at the edge of the preview.
  const aspect = { '--camera-aspect': size === null ? 4 / 3 : size.width / size.height } as CSSProperties;
  return (
    <div className="kiosk-camera-slot">
      <div className="kiosk-camera" data-camera={camera.kind} style={aspect}>
        <div className="kiosk-mirror">
          <video
            ref={videoRef}
            className="kiosk-video"
            autoPlay
            muted
            playsInline
            aria-label="Camera preview"
          />
          {size === null ? null : (
            <svg
              className="kiosk-overlay"
              viewBox={`0 0 ${size.width} ${size.height}`}
              preserveAspectRatio="xMidYMid slice"
              aria-hidden="true"
            >
              <ellipse
                className={ok ? 'kiosk-oval kiosk-oval-ok' : 'kiosk-oval'}
                cx={size.width / 2}
                cy={size.height * 0.47}
                rx={size.height * 0.27}
                ry={size.height * 0.37}
              />
              {live?.inspection.faces.map((f) => (
                <rect
                  key={f.box.join(',')}
                  className={ok ? 'kiosk-box kiosk-box-ok' : 'kiosk-box'}
                  x={f.box[0]}
                  y={f.box[1]}
                  width={f.box[2] - f.box[0]}
                  height={f.box[3] - f.box[1]}
                  rx={12}
                />
              ))}
            </svg>
          )}
        </div>
        {camera.kind === 'starting' ? <p className="kiosk-camera-note">Starting the camera…</p> : null}
        {camera.kind === 'error' ? (
          <p className="kiosk-camera-note" role="alert">
            {camera.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
