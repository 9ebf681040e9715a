/** Saves generated text as a file through a temporary object URL (revoked right after). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once click() returns; a short delay spares slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** `facecheck-results-2025-01-31T10-20-00` style names: sortable and safe on every file system. */
export const timestampedName = (stem: string, extension: string, now = new Date()) =>
  `${stem}-${now.toISOString().slice(0, 19).replaceAll(':', '-')}.${extension}`;
