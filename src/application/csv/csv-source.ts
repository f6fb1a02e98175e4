import { ValidationError } from '../../domain/errors';

/**
 * Which CSV file a message is about, and the config key that named it, so every CSV problem reads
 * `job.inputPath /data/in.csv:12: …` whichever job read the file.
 *
 * @example const source: CsvSource = { file: '/data/in.csv', keyPath: 'job.inputPath' };
 */
export interface CsvSource {
  /** Absolute path of the file. */
  readonly file: string;
  /** The config key that named it (`job.inputPath`, `job.dataPath`, `job.gate.dataPath`). */
  readonly keyPath: string;
}

/**
 * Where in a CSV file: the key and the file, and the 1-based line when there is one.
 *
 * @example csvWhere({ file: '/d/in.csv', keyPath: 'job.inputPath' }, 12); // 'job.inputPath /d/in.csv:12'
 */
export function csvWhere(source: CsvSource, line?: number): string {
  return `${source.keyPath} ${source.file}${line === undefined ? '' : `:${line}`}`;
}

/**
 * A problem with a CSV file's content (not its path): a ValidationError (VALIDATION) whose message starts
 * with {@link csvWhere} and whose details name the file, key and line.
 *
 * @example throw csvProblem(source, 'expected 3 fields like the header, got 2', 7);
 */
export function csvProblem(source: CsvSource, problem: string, line?: number): ValidationError {
  return new ValidationError(`${csvWhere(source, line)}: ${problem}.`, undefined, {
    details: { file: source.file, keyPath: source.keyPath, ...(line !== undefined && { line }) },
  });
}
