import { ValidationError } from '../../../domain/errors';
import type { Page, Run, SearchRunsQuery } from '../../../domain/model/run';
import { parseFilter, type FilterClause } from './filter-parser';
import { paginate, sqlLike } from './paging';

/**
 * `searchRuns` for the embedded stores, evaluated over runs already loaded.
 *
 * Filter subset (AND-joined): `metrics.<k>` with = != > >= < <= and a number; `params.<k>` / `tags.<k>`
 * with = != LIKE ILIKE IN NOT IN and a quoted string; attributes `run_id`, `run_name`, `status`, `user_id`
 * (string operators) and `start_time`, `end_time` (numeric). `metric.`, `param.`, `tag.`, `attribute.`,
 * `attributes.`, `attr.` and `run.` prefixes are accepted as MLflow does. Anything else → ValidationError.
 *
 * Order: `start_time DESC, run_id ASC` (MLflow's default), then each `orderBy` entry applied in priority
 * (`metrics.rmse ASC`, `params.alpha`, `tags.x`, `start_time`, `end_time`, `run_name`, `status`);
 * runs without the value sort last in either direction.
 */
export function searchRunsIn(runs: Run[], query: SearchRunsQuery): Page<Run> {
  const clauses = parseFilter(query.filter).map(checkClause);
  const orderings = (query.orderBy ?? []).map(parseOrderBy);
  const wanted = new Set(query.experimentIds);
  const matching = runs.filter((run) => wanted.has(run.info.experimentId) && clauses.every((c) => matches(run, c)));
  matching.sort((a, b) => b.info.startTime - a.info.startTime || compareText(a.info.runId, b.info.runId));
  for (const ordering of [...orderings].reverse()) matching.sort((a, b) => compareBy(a, b, ordering));
  return paginate(matching, query.maxResults, query.pageToken, { default: 1000, max: 50000 });
}

type Kind = 'metric' | 'param' | 'tag' | 'attribute';
interface Checked extends FilterClause {
  kind: Kind;
}

const ENTITY_KINDS: Record<string, Kind> = {
  metrics: 'metric', metric: 'metric', params: 'param', param: 'param', tags: 'tag', tag: 'tag',
  attributes: 'attribute', attribute: 'attribute', attr: 'attribute', run: 'attribute', '': 'attribute',
};
const STRING_ATTRIBUTES = ['run_id', 'run_name', 'status', 'user_id'];
const NUMBER_ATTRIBUTES = ['start_time', 'end_time'];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
const NUMBER_OPS = ['=', '!=', '>', '>=', '<', '<='];

function checkClause(clause: FilterClause): Checked {
  const kind = ENTITY_KINDS[clause.entity];
  const bad = (why: string): never => {
    throw new ValidationError(`Unsupported search filter clause on ${JSON.stringify(clause.key)}: ${why}.`, undefined, {
      details: { clause },
    });
  };
  if (!kind) return bad(`unknown entity "${clause.entity}" (use metrics., params., tags. or attributes.)`);
  const numeric = kind === 'metric' || (kind === 'attribute' && NUMBER_ATTRIBUTES.includes(clause.key));
  if (kind === 'attribute' && !numeric && !STRING_ATTRIBUTES.includes(clause.key)) {
    bad(`unknown attribute (supported: ${[...STRING_ATTRIBUTES, ...NUMBER_ATTRIBUTES].join(', ')})`);
  }
  if (numeric && (!NUMBER_OPS.includes(clause.op) || typeof clause.value !== 'number')) {
    bad(`numeric fields take = != > >= < <= and a number`);
  }
  if (!numeric) {
    if (!STRING_OPS.includes(clause.op)) bad(`text fields take = != LIKE ILIKE IN NOT IN`);
    const values = Array.isArray(clause.value) ? clause.value : [clause.value];
    if (values.some((v) => typeof v !== 'string')) bad('text fields compare with quoted strings');
  }
  return { ...clause, kind };
}

function fieldOf(run: Run, kind: Kind, key: string): string | number | undefined {
  switch (kind) {
    case 'metric':
      return run.data.metrics[key]?.value;
    case 'param':
      return run.data.params[key];
    case 'tag':
      return run.data.tags[key];
    case 'attribute':
      return attribute(run, key);
  }
}

function attribute(run: Run, key: string): string | number | undefined {
  const info = run.info;
  const values: Record<string, string | number | undefined> = {
    run_id: info.runId, run_name: info.runName, status: info.status, user_id: info.userId,
    start_time: info.startTime, end_time: info.endTime,
  };
  return values[key];
}

function matches(run: Run, clause: Checked): boolean {
  const actual = fieldOf(run, clause.kind, clause.key);
  if (actual === undefined) return false;
  const { op, value } = clause;
  if (op === 'IN') return (value as unknown[]).includes(actual);
  if (op === 'NOT IN') return !(value as unknown[]).includes(actual);
  if (op === 'LIKE' || op === 'ILIKE') return sqlLike(String(actual), String(value), op === 'ILIKE');
  if (op === '=') return actual === value;
  if (op === '!=') return actual !== value;
  const [a, b] = [actual as number, value as number];
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

interface Ordering {
  kind: Kind;
  key: string;
  descending: boolean;
}

function parseOrderBy(text: string): Ordering {
  const match = /^\s*(?:(\w+)\.)?(`[^`]+`|"[^"]+"|[\w.\-/: ]+?)\s*(?:\s(ASC|DESC))?\s*$/i.exec(text);
  const kind = match ? ENTITY_KINDS[(match[1] ?? '').toLowerCase()] : undefined;
  const key = match?.[2]?.replace(/^[`"]|[`"]$/g, '');
  if (!match || !kind || !key || (kind === 'attribute' && ![...STRING_ATTRIBUTES, ...NUMBER_ATTRIBUTES].includes(key))) {
    throw new ValidationError(
      `Unsupported orderBy ${JSON.stringify(text)}: use "<metrics.k|params.k|tags.k|start_time|end_time|run_name|status> [ASC|DESC]".`,
    );
  }
  return { kind, key, descending: (match[3] ?? 'ASC').toUpperCase() === 'DESC' };
}

function compareBy(a: Run, b: Run, ordering: Ordering): number {
  const x = fieldOf(a, ordering.kind, ordering.key);
  const y = fieldOf(b, ordering.kind, ordering.key);
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  const order = typeof x === 'number' && typeof y === 'number' ? compareNumbers(x, y) : compareText(String(x), String(y));
  return ordering.descending ? -order : order;
}

function compareNumbers(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
