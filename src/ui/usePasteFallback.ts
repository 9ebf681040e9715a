/**
 * Pasting photos anywhere on the page: a paste that no drop zone took (focus elsewhere) and that is
 * not text typed into a field goes to the view's default zone.
 */
import { useEffect, useRef } from 'react';
import { filesFromClipboard, isTextEntry } from '../io/browser-files.ts';

export function usePasteFallback(onFiles: (files: File[]) => void): void {
  const latest = useRef(onFiles);
  latest.current = onFiles;
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      if (event.defaultPrevented || isTextEntry(event.target) || event.clipboardData === null) return;
      const files = filesFromClipboard(event.clipboardData);
      if (files.length === 0) return;
      event.preventDefault();
      latest.current(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);
}
