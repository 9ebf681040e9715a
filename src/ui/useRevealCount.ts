/**
 * How many items of a growing list to render now: a few more each frame, so dropping 100 photos
 * renders their cards over a handful of frames instead of one long main-thread task.
 */
import { useEffect, useState } from 'react';

export function useRevealCount(total: number, perFrame = 12): number {
  const [revealed, setRevealed] = useState(() => Math.min(total, perFrame));
  useEffect(() => {
    if (revealed >= total) return;
    const frame = requestAnimationFrame(() => setRevealed((n) => Math.min(total, n + perFrame)));
    return () => cancelAnimationFrame(frame);
  }, [revealed, total, perFrame]);
  return Math.min(revealed, total);
}
