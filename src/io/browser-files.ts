/**
 * Collects the files a person hands the page — dropped files and whole folders, the file picker,
 * clipboard pastes — as a flat, naturally sorted list of File objects. Files are only referenced,
 * never read here: the bytes are read once, when a photo reaches the worker queue.
 *
 * Files given one by one are all kept (a non-image then gets a card saying why it cannot be used);
 * inside a dropped folder only image-looking files are, so a folder's notes and sidecar files do not
 * fill the grid with errors.
 */

const IMAGE_NAME = /\.(jpe?g|jfif|png|gif|webp|bmp|tiff?|heic|heif|avif)$/i;

/** Hidden files (`.DS_Store`, `._photo.jpg` resource forks) are never photos. */
const isHidden = (name: string) => name.startsWith('.');

const looksLikeImage = (file: File) => file.type.startsWith('image/') || IMAGE_NAME.test(file.name);

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const pathOf = (file: File) => (file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name);

/** "photo2" before "photo10", folders kept together. */
export function sortFiles(files: readonly File[]): File[] {
  return [...files].sort((a, b) => collator.compare(pathOf(a), pathOf(b)));
}

/** A File that remembers the folder path it was found under, as `webkitRelativePath` does for pickers. */
function withPath(file: File, path: string): File {
  if (file.webkitRelativePath === path) return file;
  Object.defineProperty(file, 'webkitRelativePath', { value: path, configurable: true });
  return file;
}

const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** All entries of a directory: `readEntries` returns them in chunks (100 in Chromium) until empty. */
async function readAll(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const entries: FileSystemEntry[] = [];
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (chunk.length === 0) return entries;
    entries.push(...chunk);
  }
}

const isFileEntry = (e: FileSystemEntry): e is FileSystemFileEntry => e.isFile;
const isDirectoryEntry = (e: FileSystemEntry): e is FileSystemDirectoryEntry => e.isDirectory;

/** Walks a dropped folder (depth-first); unreadable entries are skipped rather than failing the drop. */
async function filesInDirectory(directory: FileSystemDirectoryEntry): Promise<File[]> {
  const found: File[] = [];
  let entries: FileSystemEntry[] = [];
  try {
    entries = await readAll(directory);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    if (isDirectoryEntry(entry)) found.push(...(await filesInDirectory(entry)));
    else if (isFileEntry(entry)) {
      try {
        const file = await fileOf(entry);
        // fullPath starts with "/": drop it, so names read like "holiday/IMG_0001.jpg".
        if (looksLikeImage(file)) found.push(withPath(file, entry.fullPath.replace(/^\//, '')));
      } catch {
        // A file that vanished between the drop and the read: nothing to show for it.
      }
    }
  }
  return found;
}

/**
 * Files and folders from a drop. Entries must be taken synchronously, before the first await: the
 * DataTransfer is emptied once the event handler returns.
 */
export async function filesFromDataTransfer(data: DataTransfer): Promise<File[]> {
  const items = Array.from(data.items).filter((item) => item.kind === 'file');
  const pending = items.map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  if (pending.length === 0) return sortFiles(Array.from(data.files));
  const files: File[] = [];
  for (const { entry, file } of pending) {
    if (entry !== null && isDirectoryEntry(entry)) files.push(...(await filesInDirectory(entry)));
    else if (file !== null) files.push(file);
  }
  return sortFiles(files);
}

/** Files from `<input type="file">` (with `webkitdirectory`, only the images of the chosen folder). */
export function filesFromInput(input: HTMLInputElement): File[] {
  const files = Array.from(input.files ?? []);
  const fromFolder = input.webkitdirectory;
  return sortFiles(files.filter((f) => !isHidden(f.name) && (!fromFolder || looksLikeImage(f))));
}

/**
 * Images pasted from the clipboard (a screenshot, an image copied in another app, or files copied in
 * a file manager). A pasted image has a generic name ("image.png"), so it is named after the time of
 * the paste, which tells several pastes apart.
 */
export function filesFromClipboard(data: DataTransfer, now: Date = new Date()): File[] {
  const files = Array.from(data.files);
  const time = now.toTimeString().slice(0, 8).replaceAll(':', '');
  return files.map((file, i) => {
    if (file.name !== '' && file.name !== 'image.png') return file;
    const suffix = files.length > 1 ? `-${i + 1}` : '';
    const extension = file.type.split('/')[1] ?? 'png';
    return new File([file], `pasted-${time}${suffix}.${extension}`, { type: file.type });
  });
}

/** An element where typing or pasting text is expected: a paste there is never taken as photos. */
export const isTextEntry = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || target.matches('input:not([type=file]), textarea, select'));

/** True when a drag carries files (not text or a link), so drop zones highlight only for those. */
export const dragHasFiles = (data: DataTransfer | null) =>
  data !== null && Array.from(data.types).includes('Files');
