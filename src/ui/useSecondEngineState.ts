/**
 * The second engine's live state (docs/offload.md) for the status panel. The engine's status only
 * says whether one was started; it can stop later (a crash, a call that failed), and the photos then
 * go on on one core. Asked every few seconds, and only while someone is looking.
 */
import { useEffect, useState } from 'react';
import type { SecondEngineState } from '../worker/api.ts';
import type { EngineClient } from '../worker/client.ts';

const POLL_MS = 2000;

/** undefined until the first answer (and while not watching); null when there is no second engine. */
export function useSecondEngineState(
  client: Pick<EngineClient, 'call'>,
  watching: boolean,
): SecondEngineState | null | undefined {
  const [state, setState] = useState<SecondEngineState | null | undefined>(undefined);
  useEffect(() => {
    if (!watching) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const memory = await client.call((api) => api.memory());
        if (live) setState(memory.secondEngine);
      } catch {
        // The worker is being restarted: the next question goes to the new one.
      }
      if (live) timer = setTimeout(ask, POLL_MS);
    };
    void ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, watching]);
  return watching ? state : undefined;
}
