/**
 * The line each record starts on: one past where the previous one ended, plus the empty lines skipped
 * in between; a record ends as many lines further down as its fields hold line breaks. (csv-parse's own
 * `info.lines` is where a record ends, and counts a CRLF inside quotes as two.)
 *
 * @example
 * const lines = new LineCounter();
 * lines.next(['id', 'note'], 0); // 1
 * lines.next(['1', 'two\nlines'], 0); // 2 (it ends on line 3)
 * lines.next(['2', 'x'], 1); // 5 (an empty line 4 was skipped)
 */
export class LineCounter {
  private lastEnd = 0;
  private emptyLines = 0;

  /** The line a record with these fields starts on; `emptyLines` is how many empty lines csv-parse has skipped so far. */
  next(fields: readonly string[], emptyLines: number): number {
    const start = this.peek(emptyLines);
    this.emptyLines = emptyLines;
    let end = start;
    for (const field of fields) {
      for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) end++;
    }
    this.lastEnd = end;
    return start;
  }

  /** Where the next record starts, given the empty lines skipped so far. */
  peek(emptyLines: number): number {
    return this.lastEnd + 1 + (emptyLines - this.emptyLines);
  }
}
