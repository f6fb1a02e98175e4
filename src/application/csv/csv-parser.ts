import { type CsvError, Parser } from 'csv-parse';
import { LineCounter } from './line-counter';

/**
 * A record (one row) over this many characters is refused: it is almost always an unclosed quote swallowing the rest of the file.
 *
 * @example `a record over ${CSV_MAX_RECORD_CHARS.toLocaleString('en-US')} characters`; // '… 1,048,576 characters'
 */
export const CSV_MAX_RECORD_CHARS = 1024 * 1024;

/**
 * csv-parse's stream parser with the one set of options every job reads CSV with, which also keeps the
 * line each record starts on. The line is taken as each record is pushed (when csv-parse's count of
 * skipped empty lines is current) rather than through `on_record`, whose per-record context object
 * (a spread of ~15 fields) doubled the garbage of a million-row read.
 *
 * @example
 * const parser = new CsvParser();
 * parser.on('data', (fields: string[]) => console.log(parser.takeLine(), fields));
 */
export class CsvParser extends Parser {
  private readonly counter = new LineCounter();
  private starts: number[] = [];
  private head = 0;

  constructor() {
    super({
      bom: true,
      skip_empty_lines: true,
      // the field count is checked by the reader, to name the line a record starts on (csv-parse names where it ends)
      relax_column_count: true,
      // a quote inside an unquoted field is a character, as pandas reads it
      relax_quotes: true,
      max_record_size: CSV_MAX_RECORD_CHARS,
    });
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record !== null) this.starts.push(this.counter.next(record as string[], this.info.empty_lines));
    return super.push(record, encoding);
  }

  /** The line the next record read from this parser starts on: call once per record, in order. */
  takeLine(): number {
    const line = this.starts[this.head++]!;
    // drop what was taken now and then, so the queue holds only the records not yet read
    if (this.head >= 4096) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
    return line;
  }

  /** After a CsvError: the line the record csv-parse failed on starts on. */
  failedLine(): number {
    return this.counter.peek(this.info.empty_lines);
  }
}

/**
 * csv-parse's error, said the way the rest of mlops-kit says things: what is wrong and how to fix it
 * (never the field's text).
 *
 * @example describeCsvError(error); // 'a quoted field opened in this record is never closed; close the quote, …'
 */
export function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field opened in this record is never closed; close the quote, or double a quote inside a field ("")';
    case 'CSV_MAX_RECORD_SIZE':
      return `a record over ${CSV_MAX_RECORD_CHARS.toLocaleString('en-US')} characters, most likely an unclosed quote; close the quote`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text follows the closing quote of a field; quote the whole field and double the quotes inside it ("")';
    default:
      return `not valid CSV (${error.code}); check the quoting on this line`;
  }
}
