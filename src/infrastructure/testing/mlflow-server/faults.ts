import type { IncomingHttpHeaders } from 'node:http';

/** One request as the fake server saw it. Headers are kept whole: tests assert on Authorization. */
export interface RecordedRequest {
  method: string;
  /** URL path, e.g. `/api/2.0/mlflow/runs/log-batch`. */
  path: string;
  /** Path after `/api/2.0/mlflow/` (e.g. `runs/log-batch`), or the full path for other routes. */
  route: string;
  query: URLSearchParams;
  /** The raw query string without `?`, to check how keys were spelled (`order_by=a&order_by=b`). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the text when it is not JSON; undefined for artifact routes (streamed). */
  body?: unknown;
  bodyText?: string;
  /** Label of the fault applied to it, if any. */
  fault?: string;
}

/** Which requests a fault applies to: a route (`runs/log-batch`), a RegExp on the route, or a predicate. */
export type RequestMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

export type FaultAction =
  | { kind: 'status'; status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'gate'; count: number };

interface Rule {
  action: FaultAction;
  match?: RequestMatcher;
  remaining: number;
  until: number;
  /** For gates: requests held so far. */
  waiters: (() => void)[];
}

export function matchesRequest(match: RequestMatcher | undefined, request: RecordedRequest): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return request.route === match;
  if (match instanceof RegExp) return match.test(request.route);
  return match(request);
}

/**
 * The fault plan of the fake server: rules applied to matching requests, either to the next N of them
 * or to all of them for a time window. The first active rule that matches wins.
 *
 * @example
 * plan.add({ kind: 'status', status: 503, text: 'down' }, { times: 2, match: 'runs/log-batch' });
 * const action = await plan.apply(request); // the 503 for the first two log-batch requests
 */
export class FaultPlan {
  private rules: Rule[] = [];

  add(action: FaultAction, options: { times?: number; forMs?: number; match?: RequestMatcher }): void {
    this.rules.push({
      action,
      match: options.match,
      remaining: options.times ?? (options.forMs === undefined ? 1 : Number.POSITIVE_INFINITY),
      until: options.forMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.forMs,
      waiters: [],
    });
  }

  clear(): void {
    for (const rule of this.rules) for (const release of rule.waiters) release();
    this.rules = [];
  }

  /** The action for this request (consuming one use of its rule), or undefined. Gates resolve when full. */
  async apply(request: RecordedRequest): Promise<FaultAction | undefined> {
    const now = Date.now();
    this.rules = this.rules.filter((r) => r.remaining > 0 && r.until > now);
    const rule = this.rules.find((r) => matchesRequest(r.match, request));
    if (!rule) return undefined;
    if (rule.action.kind === 'gate') {
      const gate = rule.action;
      await new Promise<void>((resolve) => {
        rule.waiters.push(resolve);
        if (rule.waiters.length >= gate.count) {
          rule.remaining = 0;
          for (const release of rule.waiters) release();
        }
      });
      return rule.action;
    }
    rule.remaining--;
    return rule.action;
  }
}
