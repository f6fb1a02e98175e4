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

/**
 * A route found in the table: its key (`logged-models/:model_id`), handlers, and the path's named segments.
 *
 * @example const { handlers, params } = matchRoute(table, 'logged-models/m-1')!; // params.model_id === 'm-1'
 */
export interface MatchedRoute {
  key: string;
  handlers: RouteTable[string];
  params: Record<string, string>;
}

/**
 * Finds the table entry for a request path below the API prefix: an exact key first (so
 * `logged-models/search` is never read as a model id), then keys with `:name` segments, which Flask
 * routes such as `/mlflow/logged-models/<model_id>` become here.
 *
 * @example matchRoute(table, 'logged-models/m-1f2e'); // { key: 'logged-models/:model_id', params: { model_id: 'm-1f2e' }, … }
 */
export function matchRoute(table: RouteTable, route: string): MatchedRoute | undefined {
  const exact = table[route];
  if (exact) return { key: route, handlers: exact, params: {} };
  const parts = route.split('/');
  for (const [key, handlers] of Object.entries(table)) {
    if (!key.includes(':')) continue;
    const pattern = key.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      if (!segment.startsWith(':')) return segment === parts[i];
      if (parts[i] === '') return false;
      try {
        params[segment.slice(1)] = decodeURIComponent(parts[i]!);
      } catch {
        return false;
      }
      return true;
    });
    if (ok) return { key, handlers, params };
  }
  return undefined;
}
