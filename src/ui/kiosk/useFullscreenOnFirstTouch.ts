/**
 * Browsers only grant fullscreen in response to a user gesture, so the kiosk asks on its first
 * touch (and again on the next touch after someone leaves fullscreen with Esc).
 */
import { useEffect } from 'react';

export function useFullscreenOnFirstTouch(): void {
  useEffect(() => {
    const request = () => {
      const root = document.documentElement;
      if (document.fullscreenElement !== null || typeof root.requestFullscreen !== 'function') return;
      // Refusals (iframes without permission, headless browsers) leave the kiosk usable as it is.
      root.requestFullscreen({ navigationUI: 'hide' }).catch(() => {});
    };
    window.addEventListener('pointerdown', request, { capture: true });
    return () => window.removeEventListener('pointerdown', request, { capture: true });
  }, []);
}
