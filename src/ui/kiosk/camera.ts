/**
 * The kiosk camera: opening the front camera and releasing it. Released means every track stopped,
 * which turns the camera light off; dropping the stream without stopping would keep it on.
 */

/** Portrait framing works at this resolution; more would only slow every inspected frame. */
const CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
};

export async function openCamera(): Promise<MediaStream> {
  if (navigator.mediaDevices?.getUserMedia === undefined) {
    throw new Error('This browser gives no camera access here (it needs HTTPS or localhost).');
  }
  return navigator.mediaDevices.getUserMedia(CONSTRAINTS);
}

export function releaseCamera(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Words a getUserMedia failure for the person in front of the kiosk. */
export function cameraErrorText(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access is blocked. Please ask staff to allow the camera for this page.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Please ask staff to connect one.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is busy in another program. Please ask staff for help.';
    default:
      return `The camera could not be started (${error instanceof Error ? error.message : String(error)}).`;
  }
}
