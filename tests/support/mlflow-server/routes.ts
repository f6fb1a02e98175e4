import type { FakeStore } from './store';

/** One request as a route handler sees it: GET fields from the query, others from the JSON body. */
export interface RouteRequest {
  method: string;
  /** GET: each query key (a repeated key gives an array); POST/DELETE: the parsed JSON body. */
  args: Record<string, unknown>;
  store: FakeStore;
}

export type Handler = (request: RouteRequest) => unknown;
export type RouteTable = Record<string, Partial<Record<'GET' | 'POST' | 'DELETE' | 'PATCH', Handler>>>;

/** A repeated field read either way: a JSON array, repeated query keys, or one value. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Query → args: scalars stay strings, a key given more than once becomes an array (MLflow's parser does the same). */
export function queryArgs(query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    args[key] = all.length > 1 ? all : all[0];
  }
  return args;
}
