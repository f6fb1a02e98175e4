import { type FileHandle, open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { CsvParser, describeCsvError } from './csv-parser';
import { RecordPuller } from './record-puller';
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

/**
 * Rows per batch by default: a batch of a wide file stays a few MB (the heap of a 1M-row job stays small), and scoring calls stay few.
 *
 * @example for await (const batch of csv.batches(CSV_BATCH_ROWS / 4)) console.log(batch.rows.length); // at most 1024
 */
export const CSV_BATCH_ROWS = 4096;

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
    private readonly records: CsvRecords,
    private readonly stop: () => void,
  ) {}

  /**
   * Opens the file and reads its header. A missing or unreadable file is a ConfigError naming the key;
   * an empty file or a bad header a ValidationError.
   */
  static async open(source: CsvSource): Promise<CsvFile> {
    const handle = await openFile(source);
    const parser = new CsvParser();
    const stream: Readable = handle.createReadStream();
    // pipeline hands a read error (EIO, EISDIR) to the parser, whose reader then throws it
    pipeline(stream, parser, () => undefined);
    const stop = (): void => {
      parser.destroy();
      stream.destroy();
    };
    const reader = new CsvRecords(parser, source);
    try {
      const header = await reader.next();
      if (header === undefined) throw csvProblem(source, 'the file is empty; expected a header line and data rows');
      return new CsvFile(source, headerOf(header, reader.line, source), reader, stop);
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
        const fields = this.records.take();
        if (fields === null) {
          await this.records.wait();
          continue;
        }
        if (fields === undefined) break;
        if (fields.length !== this.columns.length) {
          throw csvProblem(this.source, `expected ${this.columns.length} fields like the header, got ${fields.length}; quote a field that holds a comma`, this.records.line);
        }
        rows.push(fields);
        lines.push(this.records.line);
        if (rows.length >= batchRows) {
          const batch = { columns: this.columns, rows, lines };
          // let go of the rows before yielding: while the reader scores and writes them, only it holds them
          rows = [];
          lines = [];
          yield batch;
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

/** The parser's records, each with the line it starts on, and csv-parse's errors restated with the file and line. */
class CsvRecords {
  private readonly puller: RecordPuller<string[]>;
  /** The line the record `take()` last returned starts on. */
  line = 0;

  constructor(
    private readonly parser: CsvParser,
    private readonly source: CsvSource,
  ) {
    this.puller = new RecordPuller<string[]>(parser);
  }

  /** A buffered record's fields, null when none is buffered yet, undefined at the end. */
  take(): string[] | null | undefined {
    let fields: string[] | null | undefined;
    try {
      fields = this.puller.take();
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      throw csvProblem(this.source, describeCsvError(error), this.parser.failedLine());
    }
    if (fields) this.line = this.parser.takeLine();
    return fields;
  }

  wait(): Promise<void> {
    return this.puller.wait();
  }

  /** The next record's fields, however long the stream takes to give them. */
  async next(): Promise<string[] | undefined> {
    for (;;) {
      const record = this.take();
      if (record !== null) return record;
      await this.wait();
    }
  }
}

function headerOf(fields: readonly string[], line: number, source: CsvSource): string[] {
  const names = fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw csvProblem(source, `the header names column "${name}" twice; rename one`, line);
    seen.add(name);
  }
  return names;
}
