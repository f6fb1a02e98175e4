import type { BranchCounts } from './branch-results';

/**
 * The part of a writable stream progress needs; `process.stderr` fits.
 *
 * @example const stream: ProgressStream = { isTTY: true, write: (chunk) => lines.push(chunk) }; // captures progress in a test
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/**
 * One self-rewriting status line for an experiment on a terminal: `done / running / failed`. On
 * anything that is not a TTY (a pipe, a CI log, a file) it writes nothing, so logs stay clean.
 *
 * @example
 * const progress = new BranchProgress(process.stderr, 'sweep');
 * await runBranches(variants, fn, { onProgress: (c) => progress.update(c) });
 * progress.finish();
 */
export class BranchProgress {
  private lastLine = '';
  private wrote = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label = 'branches',
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(counts: BranchCounts): void {
    if (!this.enabled) return;
    const line = formatProgress(this.label, counts);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.wrote = true;
    // \r + erase line: redraw in place instead of scrolling
    this.stream.write(`\r\x1b[2K${line}`);
  }

  /** Ends the line so the next output starts on a fresh one. */
  finish(): void {
    if (this.enabled && this.wrote) this.stream.write('\n');
    this.wrote = false;
  }
}

/** `sweep: 7/10 done · 2 running · 1 failed · 0 skipped` */
export function formatProgress(label: string, c: BranchCounts): string {
  const done = c.success + c.failed + c.skipped;
  return `${label}: ${done}/${c.total} done · ${c.running} running · ${c.failed} failed · ${c.skipped} skipped`;
}
