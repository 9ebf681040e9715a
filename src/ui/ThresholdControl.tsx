/**
 * The decision threshold: a slider whose track marks the model's calibrated default. Moving it only
 * re-labels distances that are already computed, so the verdicts update as it moves.
 */
import { type CSSProperties, useId } from 'react';
import { defaultThreshold, metricOf, thresholdMax } from '../state/scoring.ts';
import { useSession } from '../state/session-store.ts';
import { formatDistance } from './format.ts';

export function ThresholdControl() {
  const embedder = useSession((s) => s.embedder);
  const threshold = useSession((s) => s.threshold);
  const setThreshold = useSession((s) => s.setThreshold);
  const inputId = useId();
  const helpId = useId();
  const ticksId = useId();
  const fallback = defaultThreshold(embedder);
  const max = thresholdMax(embedder);
  const isDefault = Math.abs(threshold - fallback) < 0.005;
  const metric = metricOf(embedder);

  return (
    <div className="threshold">
      <div className="threshold-head">
        <label htmlFor={inputId}>Match threshold</label>
        <output htmlFor={inputId} className="threshold-value" data-testid="threshold-value">
          {formatDistance(threshold)}
        </output>
        <button
          type="button"
          className="link-button"
          onClick={() => setThreshold(fallback)}
          disabled={isDefault}
        >
          Reset to default
        </button>
      </div>
      <div className="slider-wrap" style={{ '--default-at': `${(fallback / max) * 100}%` } as CSSProperties}>
        <input
          id={inputId}
          type="range"
          min={0}
          max={max}
          step={0.01}
          value={threshold}
          list={ticksId}
          aria-describedby={helpId}
          aria-valuetext={`${formatDistance(threshold)}${isDefault ? ', the model default' : ''}`}
          data-testid="threshold-slider"
          onChange={(e) => setThreshold(e.currentTarget.valueAsNumber)}
        />
        <datalist id={ticksId}>
          <option value={fallback} />
        </datalist>
        <span className="default-mark" aria-hidden="true">
          <span>default {formatDistance(fallback)}</span>
        </span>
      </div>
      <p id={helpId} className="muted small">
        A face matches when its {metric} distance to the reference is at most the threshold. Lower is
        stricter.
      </p>
    </div>
  );
}
