import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError, ErrorCodes } from '../../domain/errors';
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
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
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
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const line = pos?.line === undefined ? undefined : text.split('\n')[pos.line - 1];
    // `uri: memory:` is the classic: a plain value ending in ":" starts a nested mapping
    const hint = line !== undefined && /:\s+[^'"\s][^#]*:\s*$/.test(line) ? ' A value ending in ":" must be quoted, e.g. uri: "memory:".' : '';
    throw parseError(file, pos?.line, pos?.col, error.message, `YAML error ${error.code}`, hint);
  }
  try {
    return doc.toJS();
  } catch (cause) {
    // e.g. too many alias expansions ("billion laughs"): the document is well-formed but refused
    throw parseError(file, undefined, undefined, cause instanceof Error ? cause.message : String(cause), 'YAML error');
  }
}

function parseJson(file: string, text: string): unknown {
  if (text.trim() === '') return null; // like an empty YAML file: no settings
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /at position (\d+)/.exec(message);
    const { line, col } = lineCol(text, at ? Number(at[1]) : jsonErrorOffset(text));
    // V8 quotes the source text after the token (`Unexpected token '}', "{ "pw…" is not valid JSON`): never echo it
    const problem = message.split('\n')[0]!.replace(/,\s*(\.\.\.)?".*$/, '').replace(/ in JSON at position \d+.*$/, '');
    throw parseError(file, line, col, problem, 'JSON error');
  }
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
