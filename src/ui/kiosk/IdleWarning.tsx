/** The last seconds before an idle reset: a full-screen notice that any touch dismisses. */
export function IdleWarning({ seconds }: { seconds: number }) {
  return (
    <div
      className="kiosk-idle"
      role="alertdialog"
      aria-labelledby="kiosk-idle-title"
      data-testid="kiosk-idle"
    >
      <div className="kiosk-idle-card">
        <p id="kiosk-idle-title" className="kiosk-idle-title">
          Still there?
        </p>
        <p className="kiosk-idle-text">
          Starting over in <strong>{seconds}</strong> s. Your photos will be erased.
        </p>
        <button type="button" className="kiosk-button kiosk-button-primary kiosk-button-large">
          I'm still here
        </button>
      </div>
    </div>
  );
}
