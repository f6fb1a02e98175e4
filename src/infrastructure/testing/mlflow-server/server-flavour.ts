/**
 * Which MLflow server the loopback server answers like (shared/docs/mlflow-rest.md). Where 2.12 and 3.11
 * differ, the route handlers ask this object:
 * - run tag values are cut at 5000 characters by 2.x and at 8000 by 3.x;
 * - metrics/get-history without max_results answers no metrics at all on 3.x;
 * - `logged-models` routes exist on 3.x only (2.x: the 404 HTML page);
 * - 3.x refuses a foreign Host (403) and a POST with a foreign Origin (403 "Cross-origin request blocked");
 * - a SQL store (both versions) keeps ±Infinity as ±1.7976931348623157e308.
 *
 * @example const server = await MlflowTestServer.start({ flavour: { version: 2, sqlStore: true } });
 */
export interface ServerFlavour {
  version: 2 | 3;
  /** Emulate a SQL-backed store (sqlite, postgres): infinities come back clamped. Default false (a file store); the contract suite turns it on. */
  sqlStore: boolean;
}

export const DEFAULT_FLAVOUR: ServerFlavour = { version: 3, sqlStore: false };

/** What a SQL store keeps of ±Infinity: the largest finite double, with the sign. */
export const SQL_MAX_DOUBLE = 1.7976931348623157e308;

export function tagLimit(flavour: ServerFlavour): number {
  return flavour.version === 2 ? 5000 : 8000;
}

/** The value as the store keeps it. */
export function storedMetricValue(flavour: ServerFlavour, value: number): number {
  if (!flavour.sqlStore || Number.isNaN(value) || Number.isFinite(value)) return value;
  return value > 0 ? SQL_MAX_DOUBLE : -SQL_MAX_DOUBLE;
}

/** 3.x's security middleware: null when the request passes, else the 403 text it answers. */
export function securityRefusal(flavour: ServerFlavour, method: string, headers: Record<string, string | string[] | undefined>): string | null {
  if (flavour.version !== 3) return null;
  const host = String(headers.host ?? '').replace(/:\d+$/, '');
  if (!['localhost', '127.0.0.1', '[::1]'].includes(host)) return `Invalid Host header - possible DNS rebinding attack detected`;
  const origin = headers.origin;
  if (method !== 'GET' && typeof origin === 'string' && !/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)) return 'Cross-origin request blocked';
  return null;
}
