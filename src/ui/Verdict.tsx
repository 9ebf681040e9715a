/**
 * Match / No match, as icon + word + colour (blue vs orange, distinguishable with every common
 * colour-vision deficiency), so no single cue carries the meaning.
 */
import type { Verdict as VerdictValue } from '../state/scoring.ts';
import { CheckIcon, CrossIcon } from './icons.tsx';

export const VERDICT_LABELS: Readonly<Record<VerdictValue, string>> = {
  match: 'Match',
  'no-match': 'No match',
};

export function Verdict({ verdict, size = 'normal' }: { verdict: VerdictValue; size?: 'normal' | 'large' }) {
  return (
    <span className={`verdict verdict-${verdict} verdict-${size}`}>
      {verdict === 'match' ? <CheckIcon /> : <CrossIcon />}
      {VERDICT_LABELS[verdict]}
    </span>
  );
}
