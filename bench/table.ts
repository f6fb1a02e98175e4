/** `--markdown` (docs/performance.md): tables as Markdown under a heading each, instead of aligned text. */
const MARKDOWN = process.argv.includes('--markdown');

/** Prints rows as a table: aligned text for a terminal, Markdown with `--markdown` (the only output of the benchmarks). */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((row) => headers.map((h) => formatCell(row[h])));
  if (MARKDOWN) {
    const line = (values: string[]) => `| ${values.map((v) => v.replace(/\|/g, '\\|')).join(' | ')} |`;
    process.stdout.write(`\n### ${title}\n\n${line(headers)}\n${line(headers.map(() => '---'))}\n${cells.map(line).join('\n')}\n`);
    return;
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}

function formatCell(value: string | number | undefined): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(3);
  return value ?? '';
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value below which a fraction `p` of the values fall (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
