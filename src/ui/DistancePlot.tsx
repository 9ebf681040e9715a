/**
 * Where every face falls relative to the threshold: a strip plot of distances (one mark per face,
 * stacked where they crowd), matches as blue circles left of the line, non-matches as orange squares
 * right of it, the model default as a dashed tick. Pure SVG, recomputed only from scores.
 */
import { useDeferredValue, useId, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { defaultThreshold, thresholdMax } from '../state/scoring.ts';
import { useSession } from '../state/session-store.ts';
import { formatDistance } from './format.ts';

const WIDTH = 600;
const HEIGHT = 104;
const PAD_X = 14;
const AXIS_Y = 72;
const MARK = 9;

interface Mark {
  readonly key: string;
  readonly distance: number;
  readonly title: string;
}

export function DistancePlot() {
  // Deferred: a new result re-plots in a background pass React splits into short slices.
  const scores = useDeferredValue(useSession((s) => s.scores));
  // Names of the scored photos only: unlike `photos`, unchanged while photos progress in the worker.
  const names = useDeferredValue(
    useSession(
      useShallow((s) => Object.fromEntries([...s.scores.keys()].map((id) => [id, s.photos[id]?.name ?? '']))),
    ),
  );
  const threshold = useSession((s) => s.threshold);
  const embedder = useSession((s) => s.embedder);

  const marks = useMemo((): Mark[] => {
    const list: Mark[] = [];
    for (const [photoId, nearest] of scores) {
      const name = names[photoId] ?? '';
      nearest.forEach((n, i) => {
        list.push({
          key: `${photoId}:${i}`,
          distance: n.distance,
          title: `${name}, face ${i + 1}: ${formatDistance(n.distance)}`,
        });
      });
    }
    return list.sort((a, b) => a.distance - b.distance);
  }, [scores, names]);

  const max = Math.max(thresholdMax(embedder), ...marks.map((m) => m.distance));
  const x = (d: number) => PAD_X + (Math.min(d, max) / max) * (WIDTH - 2 * PAD_X);

  // Stack marks that would overlap, bottom-up, so a dense cluster stays countable.
  const columns = new Map<number, number>();
  const placed = marks.map((m) => {
    const column = Math.round(x(m.distance) / MARK);
    const level = columns.get(column) ?? 0;
    columns.set(column, level + 1);
    return { ...m, cx: column * MARK, cy: AXIS_Y - MARK / 2 - 2 - Math.min(level, 5) * MARK };
  });
  const matches = marks.filter((m) => m.distance <= threshold).length;
  const captionId = useId();
  const caption =
    marks.length === 0
      ? 'Distances appear here as faces are compared with the reference.'
      : `${matches} of ${marks.length} faces within the threshold (circles), ${marks.length - matches} beyond it (squares). Dashed line: model default.`;

  const ticks = Array.from({ length: Math.floor(max / 0.2) + 1 }, (_, i) => i * 0.2);
  const fallback = defaultThreshold(embedder);

  return (
    <figure className="distance-plot">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={captionId}
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{caption}</title>
        <rect x={PAD_X} y={6} width={x(threshold) - PAD_X} height={AXIS_Y - 6} className="zone-match" />
        <line x1={PAD_X} x2={WIDTH - PAD_X} y1={AXIS_Y} y2={AXIS_Y} className="axis" />
        {ticks.map((t) => (
          <g key={t} className="tick">
            <line x1={x(t)} x2={x(t)} y1={AXIS_Y} y2={AXIS_Y + 4} />
            <text x={x(t)} y={AXIS_Y + 16}>
              {t.toFixed(1)}
            </text>
          </g>
        ))}
        <text x={PAD_X} y={AXIS_Y + 28} className="axis-note">
          ← more alike
        </text>
        <text x={WIDTH - PAD_X} y={AXIS_Y + 28} className="axis-note end">
          less alike →
        </text>
        <line x1={x(fallback)} x2={x(fallback)} y1={10} y2={AXIS_Y} className="default-line" />
        {placed.map((m) =>
          m.distance <= threshold ? (
            <circle key={m.key} cx={m.cx} cy={m.cy} r={MARK / 2 - 0.5} className="mark-match">
              <title>{m.title}</title>
            </circle>
          ) : (
            <rect
              key={m.key}
              x={m.cx - MARK / 2 + 1}
              y={m.cy - MARK / 2 + 1}
              width={MARK - 2}
              height={MARK - 2}
              className="mark-no-match"
            >
              <title>{m.title}</title>
            </rect>
          ),
        )}
        <line x1={x(threshold)} x2={x(threshold)} y1={4} y2={AXIS_Y + 4} className="threshold-line" />
        <text x={x(threshold) + 4} y={14} className="threshold-label">
          threshold {formatDistance(threshold)}
        </text>
      </svg>
      <figcaption id={captionId} className="muted small">
        {caption}
      </figcaption>
    </figure>
  );
}
