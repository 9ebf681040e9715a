/**
 * What each bad-input corpus file must show on its card in Chromium. The corpus's `expected` is the
 * Node outcome; the browser's follows from it, except where the browser legitimately differs, and
 * those files are listed in CHROMIUM_DIFFERS with the reason, never by loosening the check.
 */
import type { Size } from '../../src/io/input-policy.ts';
import type { PhotoProblemCode } from '../../src/worker/api.ts';
import type { CorpusFile } from './corpus-dir.ts';

export type BrowserOutcome =
  | { readonly status: 'done'; readonly size: Size; readonly facesAtLeast: number }
  | { readonly status: 'no-face'; readonly size: Size }
  | { readonly status: 'error'; readonly code: PhotoProblemCode };

/**
 * Files whose browser outcome is not the Node one. Everything refused from the bytes (`foundBy:
 * 'check'`) is refused by the same code before any decoder runs, so it cannot differ; only what a
 * decoder decides can.
 */
const CHROMIUM_DIFFERS: Readonly<Record<string, { readonly outcome: BrowserOutcome; readonly why: string }>> =
  {
    'bad-zlib.png': {
      outcome: { status: 'error', code: 'decode-failed' },
      why: 'valid CRCs over garbage pixel data: sharp reports it as `corrupt`; in the worker createImageBitmap rejects and the problem is `decode-failed` (with the same "damaged" message)',
    },
  };

/** The words each problem's message must contain: the kind of message, whatever its details. */
export const PROBLEM_TEXT: Readonly<Record<PhotoProblemCode, RegExp>> = {
  empty: /is empty \(0 bytes\)/,
  'not-an-image': /, not an? (image|photo)\.|is not an image FaceCheck recognises/,
  'unsupported-format': /FaceCheck does not (accept|open|read)|browsers cannot decode/,
  truncated: /file is incomplete: it ends before the image does/,
  corrupt: /file is damaged and cannot be decoded/,
  'decode-failed': /file is damaged and cannot be decoded/,
  'too-large-file': /FaceCheck accepts files up to 64 MB/,
  'too-many-pixels': /FaceCheck decodes at most 134 megapixels/,
  'too-small': /too (small|narrow) to contain a face/,
  unreadable: /could not be read/,
  'analysis-failed': /could not analyse this photo/,
  'engine-not-ready': /models/,
};

export function browserOutcome(file: CorpusFile): BrowserOutcome {
  const differs = CHROMIUM_DIFFERS[file.name];
  if (differs !== undefined) return differs.outcome;
  const { expected } = file;
  if (expected.expect === 'problem') return { status: 'error', code: expected.code };
  return expected.facesAtLeast === undefined
    ? { status: 'no-face', size: expected.size }
    : { status: 'done', size: expected.size, facesAtLeast: expected.facesAtLeast };
}
