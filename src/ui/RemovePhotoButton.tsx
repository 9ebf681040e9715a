import { CloseIcon } from './icons.tsx';

/** The × on every photo card and reference row; names the file for screen readers. */
export function RemovePhotoButton({ name, onRemove }: { name: string; onRemove: () => void }) {
  return (
    <button
      type="button"
      className="icon-button"
      onClick={onRemove}
      aria-label={`Remove ${name}`}
      title="Remove"
    >
      <CloseIcon />
    </button>
  );
}
