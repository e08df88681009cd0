/**
 * Rows laid out in columns for the terminal tables of `scan --analyze`: every column but the last
 * as wide as its widest cell (at least `min[i]`) plus two spaces, so no label, name or version is
 * cut short; the last column is left as it is.
 */
export function columns(
  rows: readonly (readonly string[])[],
  min: readonly number[] = [],
): string[] {
  const widths: number[] = [];
  for (const row of rows)
    for (let i = 0; i < row.length - 1; i++)
      widths[i] = Math.max(widths[i] ?? min[i] ?? 0, row[i]!.length + 2);
  return rows.map((row) =>
    row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join(''),
  );
}
