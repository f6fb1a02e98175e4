import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * Writes a CSV file as a stream, rows in batches, waiting whenever the disk is slower than the rows come
 * (so memory stays bounded), into a temporary file beside the target that replaces the target only on
 * `commit()`: a job that fails halfway leaves no half-written file that looks complete, and an existing
 * file stays as it was. Fields holding a comma, a quote or a line break are quoted (RFC 4180); lines end
 * with `\n`.
 *
 * @example
 * const out = await CsvFileWriter.create('out/predictions.csv', ['id', 'prediction']);
 * try { await out.write([['a', '1.5']]); await out.commit(); } catch (e) { await out.discard(); throw e; }
 */
export class CsvFileWriter {
  private failure: Error | undefined;

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly stream: WriteStream,
  ) {
    // an error while nobody awaits (the disk filled between two batches) is kept for the next call
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Creates the target's directory and the temporary file, and writes the header. */
  static async create(file: string, columns: readonly string[]): Promise<CsvFileWriter> {
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
    const stream = createWriteStream(temp, { flags: 'wx' });
    await once(stream, 'open');
    const writer = new CsvFileWriter(file, temp, stream);
    await writer.writeText(csvLine(columns));
    return writer;
  }

  /**
   * Appends rows, each followed by `last[i]` when given (a column computed for the batch, added without
   * copying the rows); resolves once the stream can take more.
   */
  async write(rows: readonly (readonly string[])[], last?: readonly string[]): Promise<void> {
    let text = '';
    for (let i = 0; i < rows.length; i++) text += last === undefined ? csvLine(rows[i]!) : `${csvFields(rows[i]!)},${csvField(last[i]!)}\n`;
    await this.writeText(text);
  }

  /** Flushes and closes the file, then moves it onto the target. */
  async commit(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
    await rename(this.temp, this.file);
  }

  /** Closes and deletes the temporary file; the target is untouched. Never throws. */
  async discard(): Promise<void> {
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
    await rm(this.temp, { force: true }).catch(() => undefined);
  }

  private async writeText(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}

/**
 * One CSV line: the fields joined by commas, each quoted when it holds a comma, a quote or a line break.
 *
 * @example csvLine(['a', 'b, c', 'say "hi"']); // 'a,"b, c","say ""hi"""\n'
 */
export function csvLine(fields: readonly string[]): string {
  return `${csvFields(fields)}\n`;
}

function csvFields(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : ',') + csvField(fields[i]!);
  return line;
}

function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
