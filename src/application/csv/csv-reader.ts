import { type FileHandle, open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { CsvError, type Options, parse, type Parser } from 'csv-parse';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { LineCounter } from './line-counter';
import { type CsvSource, csvProblem } from './csv-source';

/**
 * Rows of a CSV file, as text, with the header they belong to and the line each starts on (a quoted
 * field may span lines, so a row's line is not its index plus two).
 *
 * @example const batch: CsvBatch = { columns: ['hour', 'demand'], rows: [['8', '120']], lines: [2] };
 */
export interface CsvBatch {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The 1-based line of the file each row starts on. */
  readonly lines: readonly number[];
}

/** Rows per batch by default: a batch of a wide file stays a few MB (the heap of a 1M-row job stays small), and scoring calls stay few. */
export const CSV_BATCH_ROWS = 4096;
/** A record (one row) over this many characters is refused: it is almost always an unclosed quote swallowing the rest of the file. */
export const CSV_MAX_RECORD_CHARS = 1024 * 1024;

/**
 * A CSV file read as a stream, the one CSV rule of every job (training data, the file an InferenceJob
 * scores, a promotion gate's holdout): RFC 4180 quoting (commas, quotes and line breaks inside quotes),
 * a UTF-8 BOM, LF or CRLF, empty lines skipped, a header of unique names (trimmed), and every row as many
 * fields as the header. Rows come in batches, so a file of any size is read in bounded memory; a problem
 * is a ValidationError naming the key, the file and the line. Parsed by csv-parse.
 *
 * @example
 * const csv = await CsvFile.open({ file: '/data/in.csv', keyPath: 'job.inputPath' });
 * for await (const batch of csv.batches()) console.log(csv.columns, batch.rows.length);
 */
export class CsvFile {
  private closed = false;

  private constructor(
    readonly source: CsvSource,
    /** The header's column names, trimmed, in file order. */
    readonly columns: readonly string[],
    private readonly records: AsyncIterator<CsvRecord>,
    private readonly lineOf: (error: CsvError) => number,
    private readonly stop: () => void,
  ) {}

  /**
   * Opens the file and reads its header. A missing or unreadable file is a ConfigError naming the key;
   * an empty file or a bad header a ValidationError.
   */
  static async open(source: CsvSource): Promise<CsvFile> {
    const handle = await openFile(source);
    const lines = new LineCounter();
    const options: Options<CsvRecord, string[]> = {
      bom: true,
      skip_empty_lines: true,
      // the field count is checked here, to name the line a record starts on (csv-parse names where it ends)
      relax_column_count: true,
      // a quote inside an unquoted field is a character, as pandas reads it
      relax_quotes: true,
      max_record_size: CSV_MAX_RECORD_CHARS,
      on_record: (fields, context) => ({ fields, line: lines.next(fields, context.empty_lines) }),
    };
    // csv-parse types `parse(options)` for records of strings only; on_record makes them CsvRecords
    const parser: Parser = parse(options as unknown as Options);
    const stream: Readable = handle.createReadStream();
    // pipeline hands a read error (EIO, EISDIR) to the parser, whose iterator then throws it
    pipeline(stream, parser, () => undefined);
    const stop = (): void => {
      parser.destroy();
      stream.destroy();
    };
    const records = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>;
    const lineOf = (error: CsvError): number => lines.peek(Number(error.empty_lines ?? 0));
    try {
      const header = await nextRecord(records, source, lineOf);
      if (header === undefined) throw csvProblem(source, 'the file is empty; expected a header line and data rows');
      return new CsvFile(source, headerOf(header, source), records, lineOf, stop);
    } catch (error) {
      stop();
      throw error;
    }
  }

  /** The data rows in batches of up to `batchRows`; read once (a closed file gives none). Leaving the loop early closes the file. */
  async *batches(batchRows = CSV_BATCH_ROWS): AsyncGenerator<CsvBatch, void, undefined> {
    if (this.closed) return;
    try {
      let rows: string[][] = [];
      let lines: number[] = [];
      for (;;) {
        const record = await nextRecord(this.records, this.source, this.lineOf);
        if (record === undefined) break;
        if (record.fields.length !== this.columns.length) {
          throw csvProblem(this.source, `expected ${this.columns.length} fields like the header, got ${record.fields.length}; quote a field that holds a comma`, record.line);
        }
        rows.push(record.fields);
        lines.push(record.line);
        if (rows.length >= batchRows) {
          yield { columns: this.columns, rows, lines };
          rows = [];
          lines = [];
        }
      }
      if (rows.length > 0) yield { columns: this.columns, rows, lines };
    } finally {
      this.close();
    }
  }

  /** Closes the file without reading on (when a job fails before it reads the rows). */
  close(): void {
    this.closed = true;
    this.stop();
  }
}

/** One parsed record and the line it starts on. */
interface CsvRecord {
  fields: string[];
  line: number;
}

async function openFile(source: CsvSource): Promise<FileHandle> {
  const refuse = (why: string, cause?: unknown): never => {
    const { keyPath, file } = source;
    throw new ConfigError(`${keyPath}: ${file} ${why}; point ${keyPath} at a CSV file (relative paths start from ${process.cwd()}).`, ErrorCodes.CONFIG_INVALID, {
      details: { keyPath, file },
      ...(cause !== undefined && { cause }),
    });
  };
  let handle: FileHandle;
  try {
    handle = await open(source.file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return refuse(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(error)})`, error);
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    refuse(info.isDirectory() ? 'is a directory' : 'is not a regular file');
  }
  return handle;
}

async function nextRecord(records: AsyncIterator<CsvRecord>, source: CsvSource, lineOf: (error: CsvError) => number): Promise<CsvRecord | undefined> {
  try {
    const next = await records.next();
    return next.done ? undefined : next.value;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw csvProblem(source, describeCsvError(error), lineOf(error));
  }
}

/** csv-parse's error, said the way the rest of mlops-kit says things: what is wrong and how to fix it. */
function describeCsvError(error: CsvError): string {
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

function headerOf(record: CsvRecord, source: CsvSource): string[] {
  const names = record.fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw csvProblem(source, `the header names column "${name}" twice; rename one`, record.line);
    seen.add(name);
  }
  return names;
}
