/**
 * The kiosk setting in the main app: choose the idle timeout and the liveness check, then switch
 * this tab to kiosk mode. The settings travel in the URL (`?kiosk&idle=…&liveness`), never in
 * storage, so bookmarking the resulting page sets a kiosk up for good.
 */
import { type FormEvent, useId, useRef } from 'react';
import {
  DEFAULT_KIOSK_SETTINGS,
  IDLE_SECONDS_RANGE,
  type KioskSettings,
  kioskQuery,
} from './kiosk-settings.ts';

export function KioskLauncher() {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();

  const start = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const idle = Number(form.get('idle'));
    const settings: KioskSettings = {
      ...DEFAULT_KIOSK_SETTINGS,
      idleSeconds: Number.isInteger(idle) ? idle : DEFAULT_KIOSK_SETTINGS.idleSeconds,
      liveness: form.get('liveness') === 'on',
    };
    window.location.assign(kioskQuery(settings, new URLSearchParams(window.location.search)));
  };

  return (
    <>
      <button type="button" className="kiosk-launch" onClick={() => dialog.current?.showModal()}>
        Kiosk mode…
      </button>
      <dialog ref={dialog} className="kiosk-launch-dialog" aria-labelledby={`${id}-title`}>
        <form method="dialog" onSubmit={start}>
          <h2 id={`${id}-title`}>Kiosk mode</h2>
          <p>
            A full-screen, touch-friendly enrol-then-verify flow for an unattended device. It stores nothing,
            and wipes photos and results from memory after a period without a touch.
          </p>
          <label className="kiosk-launch-field">
            Erase and start over after
            <span>
              <input
                name="idle"
                type="number"
                min={IDLE_SECONDS_RANGE.min}
                max={IDLE_SECONDS_RANGE.max}
                step={1}
                defaultValue={DEFAULT_KIOSK_SETTINGS.idleSeconds}
                required
              />{' '}
              seconds without a touch
            </span>
          </label>
          <label className="kiosk-launch-check">
            <input name="liveness" type="checkbox" defaultChecked={DEFAULT_KIOSK_SETTINGS.liveness} />{' '}
            Liveness check (anti-spoofing model). A deterrent against photos and screens, not proof of a live
            person.
          </label>
          <p className="kiosk-launch-note">
            Tip: bookmark the kiosk page, or open it with <code>?kiosk</code> in the address, to start in
            kiosk mode directly.
          </p>
          <div className="kiosk-launch-actions">
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="kiosk-launch-primary">
              Start kiosk
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
