import { isHealthy, serviceHealth } from '../../../src/application/runtime/runtime-health';
import type { Service } from '../../../src/domain/ports/service';

const plain: Service = { serviceName: 'tracker', start: async () => undefined, stop: async () => undefined };

describe('runtime health, service by service', () => {
  it('leaves out an adapter that reports no health', async () => {
    expect(await serviceHealth(() => plain, () => true, 1_000)).toBeUndefined();
  });

  it('a report that rejects or an adapter that cannot be built is not ok, with why; started is the runtime’s knowledge', async () => {
    const failing = { ...plain, health: () => Promise.reject(new Error('probe broke')) };
    expect(await serviceHealth(() => failing, () => true, 1_000)).toEqual({ ok: false, started: true, backend: 'unknown', detail: 'probe broke' });
    const unbuildable = () => {
      throw new Error('tracking.uri: unsupported tracking URI scheme');
    };
    expect(await serviceHealth(unbuildable, () => false, 1_000)).toMatchObject({ ok: false, detail: /unsupported/ });
  });

  it('a report that never comes is cut at the bound', async () => {
    const hanging = { ...plain, health: () => new Promise<never>(() => undefined) };
    expect(await serviceHealth(() => hanging, () => false, 20)).toMatchObject({ ok: false, detail: 'no health answer within 20 ms' });
  });

  it('healthy: started, and each service ok or spilling', () => {
    const down = { ok: false, started: true, backend: 'mlflow' };
    expect(isHealthy(true, { tracker: { ...down, spilling: true } })).toBe(true);
    expect(isHealthy(true, { tracker: down })).toBe(false);
    expect(isHealthy(false, {})).toBe(false);
  });
});
