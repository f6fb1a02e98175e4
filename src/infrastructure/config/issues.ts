import type { z } from 'zod';
import { ErrorCodes, type ErrorCode } from '../../domain/errors';
import { quoteInput } from '../logging/terminal-text';
import { isSecretKey, maskUri } from './mask';
import { closest } from './suggest';
import { formatKeyPath, isMapping, lookup, type KeyPath } from './tree';

/** One validation problem, already worded as `<file>: <key.path>: <problem>. <fix>`. */
export interface ConfigProblem {
  code: ErrorCode;
  file: string;
  keyPath: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
type OriginOf = (path: KeyPath) => string;

const EXPECTED: Record<string, [what: string, fix: string]> = {
  string: ['text', "Quote the value (e.g. '3') to keep it as text."],
  number: ['a number', 'Write a number such as 3 or 0.5.'],
  int: ['a whole number', 'Write a whole number such as 3.'],
  boolean: ['true or false', 'Write true or false.'],
  object: ['a mapping', 'Write it as a mapping (indented key: value lines).'],
  array: ['a list', 'Write it as a list ([a, b] or "- item" lines).'],
};
// zod's own wording; anything else is a message we wrote on purpose and is kept as is
const ZOD_DEFAULT = /^(Invalid (input|option|discriminator)|Too (small|big)|Unrecognized key)/;

/**
 * Turns zod issues into one-line problems naming the file the key came from, the key path, what is
 * wrong and how to fix it. Values are shown only when short and not under a secret-looking key.
 *
 * @example
 * toProblems(result.error.issues, data, AppConfigSchema, (p) => origins.originOf(p));
 */
export function toProblems(issues: readonly Issue[], data: unknown, schema: z.ZodType, originOf: OriginOf): ConfigProblem[] {
  const problems = issues.flatMap((issue) => describe(issue, data, schema, originOf));
  // an unknown KIND explains every other job error: put it first
  return [...problems.filter((p) => p.code === ErrorCodes.CONFIG_UNKNOWN_KIND), ...problems.filter((p) => p.code !== ErrorCodes.CONFIG_UNKNOWN_KIND)];
}

function describe(issue: Issue, data: unknown, schema: z.ZodType, originOf: OriginOf): ConfigProblem[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const make = (at: KeyPath, problem: string, fix: string, code: ErrorCode = ErrorCodes.CONFIG_INVALID): ConfigProblem => {
    const file = originOf(at);
    // a key may hold ESC or be 10k characters long: escaped and cut like any echoed input
    const keyPath = formatKeyPath(at.map((segment) => (typeof segment === 'string' && !/^[\w.-]{1,80}$/.test(segment) ? quoteInput(segment, 40) : segment)));
    const text = `${file ? `${file}: ` : ''}${keyPath}: ${problem.replace(/\.$/, '')}.${fix ? ` ${fix}` : ''}`;
    return { code, file, keyPath, message: text.replace(/\s*\n\s*/g, ' ') };
  };
  const { found, value } = lookup(data, path);
  const custom = !ZOD_DEFAULT.test(issue.message);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path, data);
      return issue.keys.map((key) => {
        const guess = closest(key, allowed);
        const list = allowed.length > 0 ? `Allowed keys: ${allowed.join(', ')}.` : 'Remove it.';
        return make([...path, key], `unknown key ${quoteInput(key)}`, guess ? `Did you mean "${guess}"? ${list}` : list);
      });
    }
    case 'invalid_union': {
      // zod marks "no option has this KIND" with the discriminator's name (and a note)
      if (!('discriminator' in issue)) break;
      const kinds = ((issue as { options?: unknown[] }).options ?? []).map(String);
      const list = `Valid KINDs: ${kinds.join(', ')}.`;
      if (!found || value === undefined) return [make(path, 'KIND is missing', `Set KIND to the job to run. ${list}`, ErrorCodes.CONFIG_UNKNOWN_KIND)];
      const guess = typeof value === 'string' ? closest(value, kinds) : undefined;
      return [make(path, `unknown KIND ${typeof value === 'string' ? quoteInput(value) : show(value, path)}`, `${guess ? `Did you mean "${guess}"? ` : ''}${list}`, ErrorCodes.CONFIG_UNKNOWN_KIND)];
    }
    case 'invalid_type': {
      const [what, fix] = EXPECTED[issue.expected] ?? [issue.expected, ''];
      if (!found || value === undefined) {
        if (path.length === 1 && path[0] === 'job') {
          return [make(path, 'the job section is missing', 'Add job: with a KIND, e.g. "job: { KIND: ExampleJob }" (run `mlops-kit jobs` for the list).')];
        }
        return [make(path, custom ? issue.message : `is required (${what})`, 'Add it.')];
      }
      return [make(path, custom ? issue.message : `expected ${what}, got ${show(value, path)}`, fix)];
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      const guess = typeof value === 'string' ? closest(value, options) : undefined;
      const shown = typeof value === 'string' && !isSecretPath(path) ? quoteInput(value) : show(value, path);
      return [make(path, `${shown} is not allowed`, `${guess ? `Did you mean "${guess}"? ` : ''}Use one of: ${options.join(', ')}.`)];
    }
    case 'too_small':
    case 'too_big': {
      if (custom) return [make(path, issue.message, '')];
      return [make(path, `${bound(issue)}, got ${show(value, path)}`, 'Change the value.')];
    }
    default:
      break;
  }
  return [make(path, issue.message, '')];
}

function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === 'string') return small && Number(limit) === 1 ? 'must not be empty' : `must have ${small ? 'at least' : 'at most'} ${limit} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${small ? 'at least' : 'at most'} ${limit} item(s)`;
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `must be ${op} ${limit}`;
}

/** A short, safe rendering of an offending value: secrets and long text are never echoed. */
function show(value: unknown, path: KeyPath): string {
  if (isSecretPath(path)) return `a ${kindOf(value)} (value hidden)`;
  if (typeof value === 'string') return value.length > 60 ? 'a long text' : `the text ${JSON.stringify(maskUri(value))}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return kindOf(value);
}

function isSecretPath(path: KeyPath): boolean {
  return path.some((segment) => typeof segment === 'string' && isSecretKey(segment));
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (isMapping(value)) return 'mapping';
  return typeof value === 'string' ? 'text' : typeof value;
}

interface LooseDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
}
const defOf = (schema: z.ZodType): LooseDef => schema._zod.def as unknown as LooseDef;

/** The keys the object schema at `path` accepts (choosing the job schema by the data's KIND). */
function allowedKeys(schema: z.ZodType, path: KeyPath, data: unknown): string[] {
  let node: z.ZodType | undefined = schema;
  let value: unknown = data;
  for (let i = 0; node !== undefined && i <= path.length; i++) {
    node = resolve(node, value);
    if (i === path.length) break;
    const shape: Record<string, z.ZodType> | undefined = node && defOf(node).shape;
    node = shape?.[String(path[i])];
    value = isMapping(value) ? value[String(path[i])] : undefined;
  }
  return Object.keys((node && defOf(node).shape) ?? {});
}

/** Unwraps optional/default/pipe wrappers and picks the union option whose literal fields match `value`. */
function resolve(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (let guard = 0; node !== undefined && guard < 20; guard++) {
    const def = defOf(node);
    if (def.innerType) node = def.innerType;
    else if (def.type === 'pipe') node = def.out && defOf(def.out).type !== 'transform' ? def.out : def.in;
    else if (def.options) node = def.options.find((option) => matchesLiterals(option, value));
    else return node;
  }
  return node;
}

function matchesLiterals(option: z.ZodType, value: unknown): boolean {
  const shape = defOf(option).shape ?? {};
  return Object.entries(shape).every(([key, field]) => {
    const literal = field._zod.def as unknown as { type: string; values?: unknown[] };
    return literal.type !== 'literal' || (isMapping(value) && (literal.values ?? []).includes(value[key]));
  });
}
