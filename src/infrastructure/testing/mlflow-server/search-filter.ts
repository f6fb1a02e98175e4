import { invalid } from './http-io';

/**
 * The part of MLflow's search syntax the tests need: clauses `<ident> <op> <value>` joined by AND,
 * where ident is `metrics.k`, `params.k`, `tags.k` (k may be quoted or back-ticked), `attributes.x` or a
 * bare attribute; ops `= != < <= > >= LIKE ILIKE IN NOT IN`; values are quoted strings, numbers or
 * `('a','b')` lists. Unsupported syntax is a 400, as the real parser would answer.
 */
export interface Clause {
  entity: string;
  key: string;
  op: string;
  value: string | number | (string | number)[];
}

export type Lookup = (entity: string, key: string) => string | number | undefined;

const TOKEN = new RegExp(
  '\\s*(?:' +
    [
      String.raw`\((?:\s*(?:'[^']*'|"[^"]*"|-?[\d.]+(?:e[+-]?\d+)?)\s*,?)*\s*\)`, // ('a', 'b') or (1, 2)
      String.raw`'[^']*'|"[^"]*"`, // string literal
      String.raw`<=|>=|!=|=|<|>`,
      String.raw`(?:NOT\s+IN|ILIKE|LIKE|IN|AND)(?![\w.])`,
      String.raw`-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])`, // number
      String.raw`(?:[a-z_]+\.)?(?:\`[^\`]*\`|"[^"]*"|[\w.:/-]+)`, // identifier, maybe prefixed and quoted
    ].join('|') +
    ')',
  'iy',
);

export function parseFilter(filter: string | undefined, defaultEntity: string): Clause[] {
  if (!filter || filter.trim() === '') return [];
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    if (/^\s*$/.test(filter.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(filter);
    if (!m) throw invalid(`Invalid filter '${filter}'. Could not be parsed.`);
    tokens.push(m[0].trim());
  }
  const clauses: Clause[] = [];
  for (let i = 0; i < tokens.length; ) {
    const [ident, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (ident === undefined || op === undefined || value === undefined) throw invalid(`Invalid filter '${filter}'. Could not be parsed.`);
    const { entity, key } = splitIdent(ident, defaultEntity);
    clauses.push({ entity, key, op: op.toUpperCase().replace(/\s+/, ' '), value: literal(value, filter) });
    i += 3;
    if (i < tokens.length) {
      if (tokens[i]!.toUpperCase() !== 'AND') throw invalid(`Invalid filter '${filter}': only AND is supported.`);
      i++;
    }
  }
  return clauses;
}

export function matches(clauses: Clause[], lookup: Lookup): boolean {
  return clauses.every((c) => compare(lookup(c.entity, c.key), c.op, c.value));
}

/** Sorts by `order_by` entries such as `metrics.rmse ASC` or `version_number DESC`. */
export function sortBy<T>(items: T[], orderBy: string[], defaultEntity: string, lookupFor: (item: T) => Lookup): T[] {
  const keys = orderBy.map((entry) => {
    const m = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(entry);
    if (!m) throw invalid(`Invalid order_by clause '${entry}'.`);
    return { ...splitIdent(m[1]!, defaultEntity), desc: (m[2] ?? 'ASC').toUpperCase() === 'DESC' };
  });
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const x = lookupFor(a)(k.entity, k.key);
      const y = lookupFor(b)(k.entity, k.key);
      if (x === y) continue;
      if (x === undefined) return 1; // missing values last, as MLflow does
      if (y === undefined) return -1;
      const order = x < y ? -1 : 1;
      return k.desc ? -order : order;
    }
    return 0;
  });
}

function splitIdent(ident: string, defaultEntity: string): { entity: string; key: string } {
  const m = /^(metrics?|params?|parameters?|tags?|attributes?|attr|run)\.(.+)$/i.exec(ident);
  if (!m) return { entity: defaultEntity, key: unquote(ident) };
  const entity = m[1]!.toLowerCase().replace(/^metric$/, 'metrics').replace(/^(param|parameter|parameters)$/, 'params').replace(/^tag$/, 'tags').replace(/^(attribute|attr|run)$/, 'attributes');
  return { entity, key: unquote(m[2]!) };
}

function unquote(text: string): string {
  return /^(['"`]).*\1$/.test(text) ? text.slice(1, -1) : text;
}

function literal(token: string, filter: string): string | number | (string | number)[] {
  if (token.startsWith('(')) {
    return [...token.matchAll(/'([^']*)'|"([^"]*)"|([\d.eE+-]+)/g)].map((m) => m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2])!);
  }
  if (/^['"]/.test(token)) return token.slice(1, -1);
  if (/^-?\d/.test(token)) return Number(token);
  throw invalid(`Invalid filter '${filter}': expected a quoted string or a number, got ${token}.`);
}

function compare(actual: string | number | undefined, op: string, expected: Clause['value']): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case '=': return String(actual) === String(expected);
    case '!=': return String(actual) !== String(expected);
    case '<': return Number(actual) < Number(expected);
    case '<=': return Number(actual) <= Number(expected);
    case '>': return Number(actual) > Number(expected);
    case '>=': return Number(actual) >= Number(expected);
    case 'LIKE': return like(String(actual), String(expected), false);
    case 'ILIKE': return like(String(actual), String(expected), true);
    case 'IN': return Array.isArray(expected) && expected.map(String).includes(String(actual));
    case 'NOT IN': return Array.isArray(expected) && !expected.map(String).includes(String(actual));
    default: throw invalid(`Invalid comparator '${op}'.`);
  }
}

function like(value: string, pattern: string, insensitive: boolean): boolean {
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${source}$`, insensitive ? 'is' : 's').test(value);
}
