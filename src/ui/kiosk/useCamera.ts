/**
 * The camera while a step needs it and the page is visible: opened on demand, released (tracks
 * stopped) as soon as the step no longer needs it, the page is hidden, or the kiosk resets.
 */
import { useEffect, useState } from 'react';
import { cameraErrorText, openCamera, releaseCamera } from './camera.ts';

export type CameraState =
  | { readonly kind: 'off' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'on'; readonly stream: MediaStream }
  | { readonly kind: 'error'; readonly message: string };

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

export function useCamera(wanted: boolean): CameraState {
  const visible = usePageVisible();
  const active = wanted && visible;
  const [state, setState] = useState<CameraState>({ kind: 'off' });

  useEffect(() => {
    if (!active) {
      setState({ kind: 'off' });
      return;
    }
    let stream: MediaStream | null = null;
    let released = false;
    setState({ kind: 'starting' });
    openCamera().then(
      (opened) => {
        // The step ended while the camera was starting: release it at once.
        if (released) releaseCamera(opened);
        else {
          stream = opened;
          setState({ kind: 'on', stream: opened });
        }
      },
      (error: unknown) => {
        if (!released) setState({ kind: 'error', message: cameraErrorText(error) });
      },
    );
    return () => {
      released = true;
      if (stream !== null) releaseCamera(stream);
    };
  }, [active]);

  return active ? state : { kind: 'off' };
}
