/** Tables for the benchmark's output: aligned plain text for the terminal, and Markdown for results.md. */

export interface Table {
  headers: readonly string[];
  /** Per column: right-align (numbers) or left-align (text). */
  alignRight: readonly boolean[];
  rows: readonly (readonly string[])[];
}

export function plainTable(table: Table): string {
  const widths = table.headers.map((header, c) => Math.max(header.length, ...table.rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (table.alignRight[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

export function markdownTable(table: Table): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${table.alignRight.map((right) => (right ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
