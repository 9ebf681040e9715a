/**
 * The stable test contract for automation and kiosk integrators. These attributes are part of the
 * product: change them only with a version note.
 *
 * - Every analysed face of a photo to check: `data-testid="face-result"` with
 *   `data-file` (the photo's name), `data-face-index` (0-based, largest face first),
 *   `data-distance` (to the nearest reference face, 4 decimals) and
 *   `data-verdict` (`match` | `no-match`) — present once a reference face exists.
 * - Every photo card (photos to check, probes): `data-testid="photo-result"` with `data-file` and
 *   `data-status` (`done` | `no-face` | `error` | `pending`); verification cards also carry
 *   `data-outcome` (`match` | `no-match` | `no-face` | `error` | `pending`).
 * - Identification faces: `data-testid="identity-result"` with `data-file`, `data-face-index`,
 *   `data-label` (the person's name, or `unknown`) and `data-distance` (to that nearest person).
 * - The summary bar: `data-testid="summary"` with `data-match`, `data-no-match`, `data-no-face`,
 *   `data-error`, `data-pending` and `data-total`.
 */
export const TEST_IDS = {
  faceResult: 'face-result',
  photoResult: 'photo-result',
  identityResult: 'identity-result',
  summary: 'summary',
} as const;

export const distanceAttr = (d: number) => d.toFixed(4);
