import { ValidationError } from '../../../domain/errors';
import type { ModelVersion, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import { parseFilter, type FilterClause } from './filter-parser';
import { paginate, sqlLike } from './paging';

/**
 * `searchModelVersions` for the embedded registries, evaluated over versions already loaded.
 *
 * Filter subset (AND-joined, as MLflow's registry allows): `name`, `run_id`, `source_path`, `tags.<k>`
 * with = != LIKE ILIKE IN NOT IN and quoted strings; `version_number` with = != > >= < <= IN and numbers.
 * Order keys: name, version_number, creation_timestamp, last_updated_timestamp (+ ASC/DESC); ties are
 * broken by `name ASC, version_number DESC` as MLflow does. Unsupported input → ValidationError.
 */
export function searchVersionsIn(versions: ModelVersion[], query: SearchModelVersionsQuery): Page<ModelVersion> {
  const clauses = parseFilter(query.filter).map(checkClause);
  const orderings = (query.orderBy ?? []).map(parseOrderBy);
  const keys = new Set(orderings.map((o) => o.key));
  if (!keys.has('name')) orderings.push({ key: 'name', descending: false });
  if (!keys.has('version_number')) orderings.push({ key: 'version_number', descending: true });
  const matching = versions.filter((v) => clauses.every((c) => matches(v, c)));
  matching.sort((a, b) => {
    for (const o of orderings) {
      const order = compare(fieldOf(a, o.key), fieldOf(b, o.key));
      if (order !== 0) return o.descending ? -order : order;
    }
    return 0;
  });
  return paginate(matching, query.maxResults, query.pageToken, { default: 10000, max: 200000 });
}

const TEXT_FIELDS = ['name', 'run_id', 'source_path'];
const TEXT_OPS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
const NUMBER_OPS = ['=', '!=', '>', '>=', '<', '<=', 'IN', 'NOT IN'];
const ORDER_KEYS = ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'];

function checkClause(clause: FilterClause): FilterClause {
  const bad = (why: string): never => {
    throw new ValidationError(`Unsupported model version filter on ${JSON.stringify(clause.key)}: ${why}.`, undefined, {
      details: { clause },
    });
  };
  const values = Array.isArray(clause.value) ? clause.value : [clause.value];
  if (clause.entity === 'tags' || clause.entity === 'tag') {
    if (!TEXT_OPS.includes(clause.op) || values.some((v) => typeof v !== 'string')) bad('tags take = != LIKE ILIKE IN and quoted strings');
    return { ...clause, entity: 'tags' };
  }
  if (clause.entity !== '') bad('use name, version_number, run_id, source_path or tags.<key>');
  if (clause.key === 'version_number') {
    if (!NUMBER_OPS.includes(clause.op)) bad('version_number takes = != > >= < <= IN');
    const numbers = values.map(Number);
    if (numbers.some((n) => !Number.isInteger(n))) bad('version_number compares with integers');
    return { ...clause, value: Array.isArray(clause.value) ? numbers : numbers[0]! };
  }
  if (!TEXT_FIELDS.includes(clause.key)) bad('use name, version_number, run_id, source_path or tags.<key>');
  if (!TEXT_OPS.includes(clause.op) || values.some((v) => typeof v !== 'string')) bad('text fields take = != LIKE ILIKE IN and quoted strings');
  return clause;
}

function fieldOf(version: ModelVersion, key: string): string | number | undefined {
  switch (key) {
    case 'name': return version.name;
    case 'version_number': return version.version;
    case 'run_id': return version.runId;
    case 'source_path': return version.source;
    case 'creation_timestamp': return version.creationTimestamp;
    case 'last_updated_timestamp': return version.lastUpdatedTimestamp;
    default: return undefined;
  }
}

function matches(version: ModelVersion, clause: FilterClause): boolean {
  const actual = clause.entity === 'tags' ? version.tags[clause.key] : fieldOf(version, clause.key);
  const { op, value } = clause;
  // as in SQL, a missing value (NULL) matches no comparison, not even != or NOT IN
  if (actual === undefined) return false;
  if (op === 'NOT IN') return !(value as unknown[]).includes(actual);
  if (op === '!=') return actual !== value;
  if (op === 'IN') return (value as unknown[]).includes(actual);
  if (op === 'LIKE' || op === 'ILIKE') return sqlLike(String(actual), String(value), op === 'ILIKE');
  if (op === '=') return actual === value;
  const [a, b] = [actual as number, value as number];
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

function parseOrderBy(text: string): { key: string; descending: boolean } {
  const match = /^\s*(\w+)\s*(?:\s(ASC|DESC))?\s*$/i.exec(text);
  if (!match || !ORDER_KEYS.includes(match[1]!)) {
    throw new ValidationError(`Unsupported orderBy ${JSON.stringify(text)}: use one of ${ORDER_KEYS.join(', ')} with ASC or DESC.`);
  }
  return { key: match[1]!, descending: (match[2] ?? 'ASC').toUpperCase() === 'DESC' };
}

function compare(x: string | number | undefined, y: string | number | undefined): number {
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return x < y ? -1 : 1;
}
