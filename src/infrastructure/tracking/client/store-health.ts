import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceHealth } from '../../../domain/ports/service-health';

/**
 * What a store reports about its backend; the client adds `started`. `unreachable` (internal, stripped
 * by the clients) marks a backend that cannot be reached at all, the case a spill layer takes over.
 *
 * @example const health: StoreHealth = { ok: true, backend: 'memory' };
 */
export type StoreHealth = Omit<ServiceHealth, 'started'> & { unreachable?: boolean };

/**
 * A store's report, or a neutral one for a store that has no probe; never rejects.
 *
 * @example const { ok } = await healthOf(store);
 */
export async function healthOf(store: { readonly description: string; health?(): Promise<StoreHealth> }): Promise<StoreHealth> {
  if (store.health === undefined) return { ok: true, backend: 'unknown', detail: store.description };
  try {
    return await store.health();
  } catch (error) {
    return { ok: false, backend: 'unknown', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The public report: the store's, less what is internal, with `started` added. */
export function serviceReport(health: StoreHealth, started: boolean): ServiceHealth {
  const { unreachable: _internal, ...report } = health;
  return { ...report, started };
}

/**
 * A local store is ok when its directory (or, before it exists, the nearest existing parent it would be
 * created in) is writable by this process.
 *
 * @example await localStoreHealth('./mlruns', 'local store ./mlruns'); // { ok: true, backend: 'local', detail: 'local store ./mlruns' }
 */
export async function localStoreHealth(root: string, description: string): Promise<StoreHealth> {
  let dir = path.resolve(root);
  for (;;) {
    try {
      await access(dir, constants.F_OK);
      break;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  try {
    if (!(await stat(dir)).isDirectory()) return { ok: false, backend: 'local', detail: `${description}: ${dir} is not a directory` };
    await access(dir, constants.W_OK);
    return { ok: true, backend: 'local', detail: description };
  } catch {
    return { ok: false, backend: 'local', detail: `${description}: ${dir} is not writable` };
  }
}
