import { TrackerUnavailableError } from '../../../domain/errors';
import type { StoreHealth } from '../client/store-health';
import type { MlflowRestClient } from './rest-client';

/**
 * An MLflow server's health: one short contact (a few seconds at most, one retry; at once while the
 * server's breaker is open), then its generation (asked once per server). A refused login is `ok: false`
 * like a dead server, but only a dead one is `unreachable` (what the spill layer takes over). A probe
 * that fails is shared knowledge, as for any request: the server counts as down until its cooldown ends.
 *
 * @example const { ok, serverVersion } = await mlflowServerHealth(client, 'MLflow at http://mlflow:5000'); // true, '3.x'
 */
export async function mlflowServerHealth(client: MlflowRestClient, description: string): Promise<StoreHealth> {
  try {
    await client.probe({ always: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, backend: 'mlflow', detail: message, unreachable: error instanceof TrackerUnavailableError };
  }
  const generation = await client.serverGeneration().catch(() => undefined);
  return { ok: true, backend: 'mlflow', ...(generation !== undefined && { serverVersion: `${generation}.x` }), detail: description };
}
