/**
 * Kiosk settings come from the URL only (`?kiosk&idle=90&liveness`), never from storage: the kiosk
 * writes nothing, and an operator sets a kiosk up by bookmarking or launching its URL.
 */
import { DEFAULT_EMBEDDER, type EmbedderId, isEmbedderId } from '../../models/embedders.ts';

export interface KioskSettings {
  /** Seconds without a touch before everything is wiped and the start screen returns. */
  readonly idleSeconds: number;
  /** Run the anti-spoofing model on every capture (a deterrent, not proof). */
  readonly liveness: boolean;
  readonly embedder: EmbedderId;
}

export const DEFAULT_IDLE_SECONDS = 60;
export const IDLE_SECONDS_RANGE = { min: 10, max: 3600 } as const;

export const DEFAULT_KIOSK_SETTINGS: KioskSettings = {
  idleSeconds: DEFAULT_IDLE_SECONDS,
  liveness: false,
  embedder: DEFAULT_EMBEDDER,
};

/** A flag parameter is on when present, unless its value says otherwise (`?liveness=0`). */
const flag = (value: string | null) =>
  value !== null && !['0', 'false', 'off', 'no'].includes(value.toLowerCase());

export const isKioskUrl = (params: URLSearchParams) => flag(params.get('kiosk'));

/** Reads the settings; an invalid value falls back to its default, with a console warning. */
export function readKioskSettings(params: URLSearchParams): KioskSettings {
  const idle = params.get('idle');
  let idleSeconds = DEFAULT_IDLE_SECONDS;
  if (idle !== null) {
    const n = Number(idle);
    if (Number.isInteger(n) && n >= IDLE_SECONDS_RANGE.min && n <= IDLE_SECONDS_RANGE.max) idleSeconds = n;
    else
      console.warn(
        `Ignoring ?idle=${idle}: expected whole seconds from ${IDLE_SECONDS_RANGE.min} to ${IDLE_SECONDS_RANGE.max}`,
      );
  }
  const model = params.get('model');
  let embedder = DEFAULT_EMBEDDER;
  if (model !== null) {
    if (isEmbedderId(model)) embedder = model;
    else console.warn(`Ignoring ?model=${model}: unknown model`);
  }
  return { idleSeconds, liveness: flag(params.get('liveness')), embedder };
}

/** The query string that starts a kiosk with these settings (defaults left out). */
export function kioskQuery(settings: KioskSettings, keep: URLSearchParams = new URLSearchParams()): string {
  const params = new URLSearchParams();
  params.set('kiosk', '');
  if (settings.idleSeconds !== DEFAULT_IDLE_SECONDS) params.set('idle', String(settings.idleSeconds));
  if (settings.liveness) params.set('liveness', '');
  if (settings.embedder !== DEFAULT_EMBEDDER) params.set('model', settings.embedder);
  // The backend choice (and the test hook) carry over, so a forced backend stays forced.
  for (const name of ['backend', 'e2e']) {
    const value = keep.get(name);
    if (value !== null) params.set(name, value);
  }
  return `?${params.toString().replace(/=(?=&|$)/g, '')}`;
}
