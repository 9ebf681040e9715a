// IEEE 754 binary16 ("half") storage for converted weights. tfjs reads float16 weights through a
// `quantization: { dtype: 'float16' }` manifest entry; these two functions are the host-side encoder and
// decoder, so a model can be stored at half size and expanded again without uploading tensors.

/** float32 → binary16 bits, rounding to nearest, ties to even; overflow → ±Inf, NaN stays NaN. */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  const scratch = new Float32Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  for (let i = 0; i < bits.length; i++) {
    const word = bits[i] as number;
    const sign = (word >>> 16) & 0x8000;
    const magnitude = word & 0x7fffffff;
    let half: number;
    if (magnitude >= 0x47800000) {
      // ≥ 65536 (rounds to Inf whatever the mantissa), Inf or NaN.
      half = magnitude > 0x7f800000 ? 0x7e00 : 0x7c00;
    } else if (magnitude < 0x38800000) {
      // Below the smallest normal half (2^-14): let the FPU round into the subnormal range by adding 0.5,
      // whose exponent leaves exactly the 10 subnormal mantissa bits in the low bits.
      scratchBits[0] = magnitude;
      scratch[0] = (scratch[0] as number) + 0.5;
      half = (scratchBits[0] as number) - 0x3f000000;
    } else {
      // Rebias the exponent (127 → 15) and round the 13 dropped mantissa bits to nearest even.
      const odd = (magnitude >>> 13) & 1;
      half = (magnitude + ((15 - 127) << 23) + 0xfff + odd) >>> 13;
    }
    out[i] = sign | half;
  }
  return out;
}

/** binary16 bits → float32 (exact: every half is a float32). */
export function fromFloat16Bits(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i] as number;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    const magnitude =
      exponent === 0
        ? mantissa * 2 ** -24
        : exponent === 31
          ? mantissa === 0
            ? Number.POSITIVE_INFINITY
            : Number.NaN
          : (1 + mantissa / 1024) * 2 ** (exponent - 15);
    out[i] = h & 0x8000 ? -magnitude : magnitude;
  }
  return out;
}
