/**
 * Lends one large typed array to one user at a time, so that work done once per photo (the pixel
 * upload, the summed-area table) refills the last photo's memory instead of allocating tens of MB
 * again. In Chromium's worker a fresh array of that size cost more than filling it: the pages are
 * zeroed on first touch and the garbage collector must reclaim the last photo's array (measured per
 * 1–2 MP photo: the table 25 → 6–13 ms, the upload 19–41 → 6–15 ms).
 *
 * The pool holds no more than one array, of at most `maxKeptLength` elements. A user who finds it
 * lent out (overlapping calls) or too short gets a new array; when arrays come back the longest is
 * kept.
 */
export interface ArrayPool<A extends Float32Array | Float64Array> {
  /** An array of exactly `length` elements, holding stale values: the caller overwrites them all. */
  take(length: number): A;
  /** Gives back an array from take(); the caller must not touch it afterwards. */
  give(array: A): void;
}

interface TypedArrayType<A> {
  new (length: number): A;
  new (buffer: ArrayBufferLike): A;
}

export function createArrayPool<A extends Float32Array | Float64Array>(
  type: TypedArrayType<A>,
  maxKeptLength: number,
): ArrayPool<A> {
  let kept: A | null = null;
  return {
    take(length) {
      const lent = kept;
      if (lent === null || lent.length < length) return new type(length);
      kept = null;
      return lent.subarray(0, length) as A;
    },
    give(array) {
      const whole = new type(array.buffer);
      if (whole.length > maxKeptLength) return;
      if (kept === null || whole.length > kept.length) kept = whole;
    },
  };
}
