/**
 * How the backend was chosen (with the measurement per backend) and a select to override it. The
 * worker picks its backend once, at start, so a change is saved and the page reloads — without a
 * `?backend=` in the address, which would otherwise win over the user's setting.
 */
import { useId, useState } from 'react';
import { type BackendMemory, browserBackendMemory } from '../state/backend-memory.ts';
import {
  BACKEND_PREFERENCE,
  type BackendInfo,
  type BackendName,
  type BackendProbe,
  isBackendName,
} from '../worker/api.ts';

const LABELS: Readonly<Record<BackendName, string>> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };
const AUTOMATIC = 'auto';

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** "WebGL gave up after 520 ms warming up" / "WebAssembly 14 ms (warm-up 31 ms)". */
function describeProbe(probe: BackendProbe): string {
  const name = LABELS[probe.backend];
  if (probe.warmUpMs === null) return `${name} did not start`;
  if (probe.ms === null) return `${name} gave up after ${ms(probe.warmUpMs)} warming up`;
  return `${name} ${ms(probe.ms)} (warm-up ${ms(probe.warmUpMs)})`;
}

/** "the fastest, measured at start (WebGL …, WebAssembly …)" and the like. */
export function describeSelection(info: BackendInfo): string {
  const probes = info.probes.map(describeProbe).join(', ');
  switch (info.selection) {
    case 'forced':
      return 'forced (address ?backend= or your setting)';
    case 'remembered':
      return `the fastest when first measured on this browser${probes === '' ? '' : ` (${probes})`}`;
    case 'measured':
      return `the fastest, measured at start (${probes})`;
    case 'fallback':
      return 'the CPU backend: nothing faster started';
  }
}

function reloadWithout(param: string): void {
  const url = new URL(window.location.href);
  url.searchParams.delete(param);
  window.location.assign(url);
}

export function BackendOverride({
  info,
  memory = browserBackendMemory(),
}: {
  info: BackendInfo;
  memory?: BackendMemory;
}) {
  const [setting] = useState(() => memory.setting());
  const selectId = useId();
  const forcedByUrl = new URLSearchParams(window.location.search).has('backend');
  return (
    <>
      <div className="field">
        <dt>Chosen</dt>
        <dd data-testid="backend-selection" data-selection={info.selection}>
          {describeSelection(info)}
        </dd>
      </div>
      <div className="field">
        <dt>
          <label htmlFor={selectId}>Use backend</label>
        </dt>
        <dd>
          <select
            id={selectId}
            data-testid="backend-setting"
            value={setting ?? AUTOMATIC}
            onChange={(event) => {
              const value = event.currentTarget.value;
              memory.setSetting(isBackendName(value) ? value : null);
              reloadWithout('backend');
            }}
          >
            <option value={AUTOMATIC}>Automatic (fastest, measured again)</option>
            {BACKEND_PREFERENCE.map((name) => (
              <option key={name} value={name}>
                {LABELS[name]}
              </option>
            ))}
          </select>
          {forcedByUrl && <span className="badge badge-warn">?backend= in the address wins</span>}
        </dd>
      </div>
    </>
  );
}
