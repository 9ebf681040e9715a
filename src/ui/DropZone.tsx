/**
 * A place to hand over photos: drop files or folders on it, click it or press Enter/Space to open the
 * file picker, paste while it has focus, or choose a whole folder with the link below it.
 */
import {
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import {
  dragHasFiles,
  filesFromClipboard,
  filesFromDataTransfer,
  filesFromInput,
} from '../io/browser-files.ts';

export interface DropZoneProps {
  readonly title: string;
  readonly hint: string;
  readonly onFiles: (files: File[]) => void;
  /** Prefix of the test ids of the hidden inputs: `${testId}-input`, `${testId}-folder-input`. */
  readonly testId: string;
  readonly icon?: ReactNode;
  readonly compact?: boolean;
  readonly disabled?: boolean;
  /** Offer "or choose a folder" below the zone. Default true. */
  readonly folders?: boolean;
}

export function DropZone({
  title,
  hint,
  onFiles,
  testId,
  icon,
  compact = false,
  disabled = false,
  folders = true,
}: DropZoneProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();

  useEffect(() => {
    // Not a React prop: set on the element so the picker selects folders.
    if (folderInput.current !== null) folderInput.current.webkitdirectory = true;
  }, []);

  const openPicker = () => {
    if (!disabled) fileInput.current?.click();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openPicker();
    }
  };

  const onDragOver = (event: DragEvent) => {
    if (disabled || !dragHasFiles(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };

  const onDrop = (event: DragEvent) => {
    if (disabled || !dragHasFiles(event.dataTransfer)) return;
    event.preventDefault();
    setOver(false);
    void filesFromDataTransfer(event.dataTransfer).then((files) => {
      if (files.length > 0) onFiles(files);
    });
  };

  const onPaste = (event: ClipboardEvent) => {
    if (disabled || event.clipboardData.files.length === 0) return;
    event.preventDefault();
    onFiles(filesFromClipboard(event.clipboardData));
  };

  const onInputChange = (input: HTMLInputElement) => {
    const files = filesFromInput(input);
    input.value = ''; // so choosing the same file again still fires `change`
    if (files.length > 0) onFiles(files);
  };

  return (
    <div className={`dropzone-wrap${compact ? ' compact' : ''}`}>
      {/* biome-ignore lint/a11y/useSemanticElements: a drop target cannot be a <button> (no drop events on it in every browser) */}
      <div
        role="button"
        tabIndex={disabled ? -1 : 0}
        aria-disabled={disabled}
        aria-describedby={hintId}
        className={`dropzone${over ? ' over' : ''}`}
        data-paste-target
        onClick={openPicker}
        onKeyDown={onKeyDown}
        onDragOver={onDragOver}
        onDragEnter={onDragOver}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onPaste={onPaste}
      >
        {icon !== undefined && (
          <span className="dropzone-icon" aria-hidden="true">
            {icon}
          </span>
        )}
        <span className="dropzone-title">{title}</span>
        <span className="dropzone-hint" id={hintId}>
          {hint}
        </span>
      </div>
      {folders && (
        <button
          type="button"
          className="link-button"
          onClick={() => folderInput.current?.click()}
          disabled={disabled}
        >
          or choose a folder
        </button>
      )}
      <input
        ref={fileInput}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid={`${testId}-input`}
        onChange={(e) => onInputChange(e.currentTarget)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        data-testid={`${testId}-folder-input`}
        onChange={(e) => onInputChange(e.currentTarget)}
      />
    </div>
  );
}
