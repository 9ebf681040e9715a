/**
 * Idle detection for the kiosk: any touch, click, key or wheel restarts the clock; after
 * `seconds` without one, `onIdle` runs. In the last seconds (see `warnSeconds`) the remaining time
 * is returned so the screen can warn; otherwise null.
 */
import { useEffect, useRef, useState } from 'react';

const INTERACTIONS = ['pointerdown', 'touchstart', 'keydown', 'wheel'] as const;

export function useIdleCountdown(seconds: number, active: boolean, onIdle: () => void): number | null {
  // Ten seconds of warning, or a third of a short timeout, so that some idle time stays unwarned.
  const warnSeconds = Math.min(10, Math.floor(seconds / 3));
  const [remaining, setRemaining] = useState<number | null>(null);
  // The latest callback without restarting the clock when the parent re-renders.
  const idleRef = useRef(onIdle);
  useEffect(() => {
    idleRef.current = onIdle;
  });

  useEffect(() => {
    setRemaining(null);
    if (!active) return;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
      setRemaining(null);
    };
    for (const type of INTERACTIONS) window.addEventListener(type, touch, { capture: true, passive: true });
    const tick = window.setInterval(() => {
      const left = seconds - (Date.now() - last) / 1000;
      if (left <= 0) {
        last = Date.now();
        setRemaining(null);
        idleRef.current();
      } else {
        setRemaining(left <= warnSeconds ? Math.ceil(left) : null);
      }
    }, 250);
    return () => {
      window.clearInterval(tick);
      for (const type of INTERACTIONS) window.removeEventListener(type, touch, { capture: true });
    };
  }, [seconds, active, warnSeconds]);

  return remaining;
}
