/** Plain-text helpers for the CLI's human-readable output. */

export const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export const fmtBox = (b: readonly number[]) => `[${b.map((v) => Math.round(v)).join(', ')}]`;

/** Left-aligned columns, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

/** Rounds floats for JSON output (keeps embeddings compact but exact enough: 6 significant digits). */
export const round = (x: number, digits = 4) => Number(x.toFixed(digits));
