import { promises as fs } from 'node:fs';
import { Document, parse, visit } from 'yaml';
import { ErrorCodes, NotFoundError, StoreCorruptError, type ErrorCode } from '../../../domain/errors';

/** What meta.yaml files hold: flat mappings of scalars, `[]` and small `{}` maps. */
export type MetaValue = string | number | null | [] | Record<string, string>;
export type MetaRecord = Record<string, MetaValue>;

/** PyYAML's default `best_width`: a plain or quoted scalar is broken at a single space once past it. */
const BEST_WIDTH = 80;

/**
 * Serialises a meta.yaml the way MLflow does (`yaml.safe_dump(..., default_flow_style=False,
 * sort_keys=True)`): keys sorted, YAML 1.1 quoting (`'0'`, `''`, `None` plain), single quotes, multi-line
 * strings single-quoted, and long lines folded at PyYAML's width. The point is byte-compatibility with
 * files MLflow writes, so diffs between a mlops-kit store and an MLflow one show only real differences.
 *
 * @example dumpMeta({ name: 'Default', experiment_id: '0', tags: [] }) // "experiment_id: '0'\nname: Default\ntags: []\n"
 */
export function dumpMeta(data: MetaRecord): string {
  const doc = new Document(data, { version: '1.1', sortMapEntries: true });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsSingleQuotes(node.value)) node.type = 'QUOTE_SINGLE';
    },
  });
  const text = doc.toString({ singleQuote: true, lineWidth: 0 });
  return text
    .split('\n')
    .map((line) => foldLine(line))
    .join('\n');
}

/**
 * PyYAML single-quotes every string it cannot write plain unless it holds characters only double quotes can
 * escape; the yaml package prefers double quotes for strings containing `'` and block scalars for
 * multi-line ones, so those are forced to single quotes here.
 */
function needsSingleQuotes(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff]/.test(value)) return false;
  if (value.includes('\n')) return true;
  return new Document(value, { version: '1.1' }).toString({ singleQuote: true, lineWidth: 0 }).startsWith('"');
}

/** Re-folds one top-level `key: value` line the way PyYAML's emitter would. */
function foldLine(line: string): string {
  const match = /^([^\s'"][^:]*: )(.*)$/.exec(line);
  if (!match || line.length <= BEST_WIDTH) return line;
  const [, prefix, scalar] = match as unknown as [string, string, string];
  const quoted = scalar.startsWith("'") && scalar.endsWith("'") && scalar.length >= 2;
  if (!quoted && /^['"|>]/.test(scalar)) return line;
  const body = quoted ? scalar.slice(1, -1) : scalar;
  let out = prefix + (quoted ? "'" : '');
  let column = out.length;
  const runs = body.match(/ +|[^ ]+/g) ?? [];
  let position = 0;
  for (const run of runs) {
    const single = run === ' ';
    const atEdge = position === 0 || position + run.length === body.length;
    if (single && column > BEST_WIDTH && !(quoted && atEdge)) {
      out += '\n  ';
      column = 2;
    } else {
      out += run;
      column += run.length;
    }
    position += run.length;
  }
  return out + (quoted ? "'" : '');
}

/** Parses meta.yaml text; anything but a mapping is a StoreCorruptError naming the file. */
export function parseMeta(text: string, file: string): MetaRecord {
  let value: unknown;
  try {
    value = parse(text, { version: '1.1' });
  } catch (error) {
    throw corrupt(file, `it is not valid YAML (${(error as Error).message.split('\n')[0]})`, error);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw corrupt(file, 'it does not hold a YAML mapping');
  return value as MetaRecord;
}

/**
 * Reads and parses a meta.yaml. A missing file is a NotFoundError with `missingCode` naming the file;
 * an unreadable or malformed one a StoreCorruptError naming it.
 */
export async function readMetaFile(file: string, missingCode: ErrorCode = ErrorCodes.NOT_FOUND, what = 'store entry'): Promise<MetaRecord> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new NotFoundError(`The ${what} has no metadata: ${file} does not exist.`, missingCode, { details: { file } });
    }
    throw corrupt(file, `it cannot be read (${code ?? (error as Error).message})`, error);
  }
  return parseMeta(text, file);
}

/** A StoreCorruptError that names the file, what is wrong and what to do. */
export function corrupt(file: string, why: string, cause?: unknown): StoreCorruptError {
  return new StoreCorruptError(
    `Local MLflow store file ${file} is corrupt: ${why}. Restore it from a backup, fix it by hand, or move the entry out of the store.`,
    { details: { file }, cause },
  );
}

/** Reads a required field of a parsed meta.yaml, checking its type. */
export function field<T extends 'string' | 'number'>(meta: MetaRecord, key: string, type: T, file: string): T extends 'string' ? string : number {
  const value = meta[key];
  if (type === 'string' && typeof value === 'number') return String(value) as never; // legacy integer ids
  if (typeof value !== type) throw corrupt(file, `field "${key}" should be a ${type}, found ${JSON.stringify(value)}`);
  return value as never;
}

/** An optional field: undefined when absent or null. */
export function optionalField<T extends 'string' | 'number'>(meta: MetaRecord, key: string, type: T, file: string): (T extends 'string' ? string : number) | undefined {
  const value = meta[key];
  if (value === undefined || value === null) return undefined;
  return field(meta, key, type, file);
}

