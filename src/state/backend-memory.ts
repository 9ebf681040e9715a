/**
 * The page's memory of the backend choice, in localStorage: the user's override from the status
 * panel, and the last measurement (src/worker/backend-probe.ts) so later starts skip it. The
 * measurement is keyed by the user agent (a browser update re-measures) and records the GL
 * renderer; the worker measures afresh when its renderer differs or the remembered backend fails.
 */
import {
  type BackendInfo,
  type BackendName,
  type BackendProbe,
  isBackendName,
  type RememberedBackend,
} from '../worker/api.ts';

const SETTING_KEY = 'facecheck.backend.setting';
const MEASURED_KEY_PREFIX = 'facecheck.backend.measured:';

export interface BackendMemory {
  /** The user's override, or null for "choose by measurement". */
  setting(): BackendName | null;
  /** null returns to automatic choice and forgets the measurement, so the next start measures. */
  setSetting(backend: BackendName | null): void;
  /** The last measured choice on this browser, if any. */
  recall(): RememberedBackend | null;
  /** Keeps a fresh measurement; other selections (forced, remembered) are not new knowledge. */
  remember(info: BackendInfo): void;
}

const isProbe = (value: unknown): value is BackendProbe => {
  const probe = value as Partial<BackendProbe> | null;
  return (
    typeof probe === 'object' &&
    probe !== null &&
    isBackendName(probe.backend) &&
    (probe.ms === null || typeof probe.ms === 'number') &&
    (probe.warmUpMs === null || typeof probe.warmUpMs === 'number') &&
    typeof probe.gaveUp === 'boolean' &&
    typeof probe.startMs === 'number' &&
    typeof probe.costMs === 'number'
  );
};

/** Parses a stored record, rejecting anything an older or foreign version may have written. */
function parseRemembered(text: string | null): RememberedBackend | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<RememberedBackend> | null;
    if (
      value === null ||
      !isBackendName(value.backend) ||
      !(value.renderer === null || typeof value.renderer === 'string') ||
      !Array.isArray(value.probes) ||
      !value.probes.every(isProbe)
    )
      return null;
    return { backend: value.backend, renderer: value.renderer, probes: value.probes };
  } catch {
    return null;
  }
}

/** Storage may be missing or throw (privacy modes, quota): the memory then just forgets. */
export function createBackendMemory(storage: Storage | null, userAgent: string): BackendMemory {
  const measuredKey = `${MEASURED_KEY_PREFIX}${userAgent}`;
  const read = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string | null): void => {
    try {
      if (value === null) storage?.removeItem(key);
      else storage?.setItem(key, value);
    } catch {
      // Not remembering only costs a measurement on the next start.
    }
  };
  return {
    setting() {
      const value = read(SETTING_KEY);
      return isBackendName(value) ? value : null;
    },
    setSetting(backend) {
      write(SETTING_KEY, backend);
      if (backend === null) write(measuredKey, null);
    },
    recall: () => parseRemembered(read(measuredKey)),
    remember(info) {
      if (info.selection !== 'measured') return;
      const record: RememberedBackend = {
        backend: info.backend,
        renderer: info.renderer,
        probes: info.probes,
      };
      write(measuredKey, JSON.stringify(record));
    },
  };
}

/** The memory of this page's browser (window.localStorage, navigator.userAgent). */
export function browserBackendMemory(): BackendMemory {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    // Access itself throws when storage is disabled for the site.
  }
  return createBackendMemory(storage, navigator.userAgent);
}
