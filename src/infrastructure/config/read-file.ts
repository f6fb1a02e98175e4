import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { Redactor } from '../logging/redaction';
import { findDuplicateJsonKey } from './json-duplicates';
import { CONFIG_LIMITS, depthError, exceedsDepth } from './limits';
import { isSecretKey, literalParts } from './mask';
import { isMapping, type ConfigTree } from './tree';

const YAML_EXT = new Set(['.yaml', '.yml']);

/**
 * Reads one configuration file (`.yaml`, `.yml` or `.json`) and returns its top-level mapping.
 * `file` is shown in errors as the user wrote it; it is resolved against `cwd` to read. An empty file
 * is an empty mapping. Errors never quote the file's text (it may hold a password).
 *
 * @example readConfigFile('conf/promotion.yaml', process.cwd()); // { job: { KIND: 'PromotionJob', … } }
 */
export function readConfigFile(file: string, cwd: string): ConfigTree {
  const ext = path.extname(file).toLowerCase();
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    const stat = statSync(absolute);
    if (stat.isDirectory()) {
      throw new ConfigError(`${file}: is a directory, not a config file (${absolute}). Pass a .yaml, .yml or .json file.`, ErrorCodes.CONFIG_INVALID, {
        details: { file },
      });
    }
    // checked before reading: a 50 MB "config" would otherwise cost seconds and gigabytes to parse
    if (stat.size > CONFIG_LIMITS.maxFileBytes) {
      throw new ConfigError(
        `${file}: config file is ${stat.size} bytes; the limit is ${CONFIG_LIMITS.maxFileBytes}. Config files hold settings, not data: point job.dataPath at data files instead.`,
        ErrorCodes.CONFIG_TOO_LARGE,
        { details: { file, bytes: stat.size } },
      );
    }
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`${file}: config file not found (looked in ${absolute}). Check the path.`, ErrorCodes.CONFIG_FILE_NOT_FOUND, {
        details: { file },
      });
    }
    throw new ConfigError(`${file}: cannot read config file (${code ?? 'error'}). Pass a readable .yaml, .yml or .json file.`, ErrorCodes.CONFIG_INVALID, {
      details: { file },
      cause: error,
    });
  }
  if (ext !== '.json' && !YAML_EXT.has(ext)) {
    throw new ConfigError(`${file}: unsupported config file type "${ext || '(none)'}". Use a .yaml, .yml or .json file.`, ErrorCodes.CONFIG_INVALID, {
      details: { file },
    });
  }
  const parsed = ext === '.json' ? parseJson(file, text) : parseYaml(file, text);
  if (parsed === null || parsed === undefined) return {};
  // before anything recursive (merge, substitution, zod) walks the tree
  if (exceedsDepth(parsed, CONFIG_LIMITS.maxDepth)) throw depthError(file);
  if (!isMapping(parsed)) {
    const got = Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`;
    throw new ConfigError(
      `${file}: (top level): expected a mapping of sections (app, logging, alerts, tracking, job), got ${got}. Write "key: value" sections at the top level.`,
      ErrorCodes.CONFIG_INVALID,
      { details: { file, keyPath: '' } },
    );
  }
  return parsed;
}

function parseYaml(file: string, text: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  // the parser's messages quote the source ("Unresolved alias …: Tr0ub4dor&3"): mask what secret-keyed lines hold
  const redactor = new Redactor(secretLineValues(text));
  if (doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) throw depthError(file);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const line = pos?.line === undefined ? undefined : text.split('\n')[pos.line - 1];
    // `uri: memory:` is the classic: a plain value ending in ":" starts a nested mapping
    const hint = line !== undefined && /:\s+[^'"\s][^#]*:\s*$/.test(line) ? ' A value ending in ":" must be quoted, e.g. uri: "memory:".' : '';
    throw parseError(file, pos?.line, pos?.col, redactor.text(withoutQuotedSource(error.message)), `YAML error ${error.code}`, hint);
  }
  // an unknown tag (`password: !Secr3t`) would silently become an empty value: refuse it, never echo it
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    const pos = unknownTag.linePos?.[0];
    const keyPath = keyPathAt(doc, unknownTag.pos[0]);
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    throw new ConfigError(
      `${where}: ${keyPath ?? '(top level)'}: unknown YAML tag (a value starting with "!" is read as a tag). ` +
        "Quote the value if it is text, e.g. password: '!…'.",
      ErrorCodes.CONFIG_PARSE,
      { details: { file, keyPath, line: pos?.line, col: pos?.col } },
    );
  }
  try {
    return doc.toJS();
  } catch (cause) {
    // e.g. an alias without its anchor, too many alias expansions ("billion laughs"): refused after parsing
    const message = cause instanceof Error ? cause.message : String(cause);
    if (cause instanceof RangeError) throw depthError(file);
    throw parseError(file, undefined, undefined, redactor.text(withoutQuotedSource(message)), 'YAML error');
  }
}

/** The parser appends the offending source after a colon ("Unresolved tag: !Secr3t"): keep the description only. */
function withoutQuotedSource(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const colon = first.indexOf(': ');
  return colon < 0 ? first : first.slice(0, colon);
}

/**
 * The raw text after `key:` on every line whose key names a secret, as written (`*Tr0ub4dor&3`, `>9f8e…`):
 * the Redactor masks these and any 4+ character piece of them in parser messages.
 */
function secretLineValues(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:-\s+)?["']?([^"':#\s][^"':#]*?)["']?\s*:(?:\s+(.*))?$/.exec(line);
    const raw = match?.[2]?.trim();
    if (match && raw && isSecretKey(match[1]!)) values.push(...literalParts(raw), ...literalParts(raw.replace(/^[*&!>|'"]+/, '').replace(/['"]$/, '')));
  }
  return values;
}

/** The dotted key path of the deepest pair whose value holds source offset `offset`. */
function keyPathAt(doc: YAML.Document, offset: number): string | undefined {
  let found: string | undefined;
  YAML.visit(doc, {
    Pair(_key, pair, ancestors) {
      const range = (pair.value as { range?: [number, number, number] } | null)?.range;
      const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
      const start = keyRange?.[0] ?? range?.[0];
      if (start === undefined || !range || offset < start || offset > range[2]) return;
      const keys = [...ancestors, pair].filter(YAML.isPair).map((p) => String(YAML.isScalar(p.key) ? p.key.value : p.key));
      found = keys.join('.');
    },
  });
  return found;
}

function parseJson(file: string, text: string): unknown {
  if (text.trim() === '') return null; // like an empty YAML file: no settings
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /at position (\d+)/.exec(message);
    const { line, col } = lineCol(text, at ? Number(at[1]) : jsonErrorOffset(text));
    // V8 quotes the source text after the token (`Unexpected token '}', "{ "pw…" is not valid JSON`): never echo it
    const problem = message.split('\n')[0]!.replace(/,\s*(\.\.\.)?".*$/, '').replace(/ in JSON at position \d+.*$/, '');
    throw parseError(file, line, col, problem, 'JSON error');
  }
  // JSON.parse keeps the last of two equal keys without a word; YAML refuses them, and so do we
  const duplicate = findDuplicateJsonKey(text, CONFIG_LIMITS.maxDepth);
  if (duplicate) {
    const { line, col } = lineCol(text, duplicate.offset);
    throw new ConfigError(
      `${file}:${line}:${col}: ${duplicate.keyPath}: duplicate key (JSON keeps only the last one). Remove one of the two.`,
      ErrorCodes.CONFIG_PARSE,
      { details: { file, keyPath: duplicate.keyPath, line, col } },
    );
  }
  return value;
}

/** `file:line:col: problem. fix` on one line, without the parser's source excerpt. */
function parseError(file: string, line: number | undefined, col: number | undefined, raw: string, what: string, hint = ''): ConfigError {
  const problem = raw
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/:$/, '')
    .trim();
  const where = line !== undefined ? `${file}:${line}:${col ?? 1}` : file;
  return new ConfigError(`${where}: ${what}: ${problem}. Fix the syntax at that spot (indentation, quoting, brackets).${hint}`, ErrorCodes.CONFIG_PARSE, {
    details: { file, line, col },
  });
}

/**
 * Where JSON.parse gave up, for messages without a position (`Unexpected token '}'`): the shortest
 * prefix that already fails for a reason other than "input ended too soon". Failing is monotonic in
 * the prefix length, so a binary search needs about log2(length) parses.
 */
function jsonErrorOffset(text: string): number {
  const failsHard = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const at = /at position (\d+)/.exec(message);
      return !/end of JSON input|Unterminated string/.test(message) && !(at && Number(at[1]) >= length);
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (failsHard(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
