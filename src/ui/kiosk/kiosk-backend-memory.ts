/**
 * Kiosk mode writes nothing to storage, not even the engine's remembered backend measurement: the
 * kiosk may reuse what the normal app measured on this device, but never records anything itself.
 */
import type { BackendMemory } from '../../state/backend-memory.ts';

export function readOnlyBackendMemory(memory: BackendMemory): BackendMemory {
  return {
    setting: () => memory.setting(),
    recall: () => memory.recall(),
    setSetting() {},
    remember() {},
  };
}
