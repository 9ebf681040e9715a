/**
 * Overall progress of the analysis queue, with Cancel while it runs and "Analyse the rest" after a
 * cancel. The text is an aria-live region, so screen readers hear progress without moving focus.
 */
import { useShallow } from 'zustand/react/shallow';
import { useSession } from '../state/session-store.ts';
import { plural } from './format.ts';

export function QueueBar() {
  const { finished, total, currentId } = useSession(useShallow((s) => s.queue));
  const current = useSession((s) => (currentId === null ? undefined : s.photos[currentId]));
  const cancelled = useSession(
    (s) => s.order.filter((id) => s.photos[id]?.status.kind === 'cancelled').length,
  );
  const cancel = useSession((s) => s.cancel);
  const resume = useSession((s) => s.resume);
  const running = total > 0;

  return (
    <div className={`queue-bar${running ? ' running' : ''}`} hidden={!running && cancelled === 0}>
      <div className="queue-text" role="status" aria-live="polite" data-testid="queue-status">
        {running
          ? `Analysing ${Math.min(finished + 1, total)} of ${plural(total, 'photo')}${current === undefined ? '' : ` · ${current.name}`}`
          : `${plural(cancelled, 'photo')} not analysed`}
      </div>
      {running && <progress value={finished} max={total} aria-label="Analysis progress" />}
      {running ? (
        <button type="button" className="button secondary" onClick={cancel}>
          Cancel
        </button>
      ) : (
        <button type="button" className="button secondary" onClick={resume}>
          Analyse the rest
        </button>
      )}
    </div>
  );
}
