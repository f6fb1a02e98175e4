import { TYPES } from 'mlops-kit';
import { InMemoryModelRegistry, InMemoryTracker, MemoryAlerter } from 'mlops-kit/testing';
import { createApp } from './app';

// The integration-test-by-rebinding pattern: the real app, its adapters rebound to in-memory ones
// before anything is resolved, driven over real HTTP.
describe('the backend with in-memory adapters', () => {
  const tracker = new InMemoryTracker();
  const registry = new InMemoryModelRegistry();
  const alerter = new MemoryAlerter();
  let app: Awaited<ReturnType<typeof createApp>>;
  let url: string;

  beforeAll(async () => {
    app = await createApp({ profile: 'test', overrides: { [TYPES.Tracker]: tracker, [TYPES.ModelRegistry]: registry, [TYPES.Alerter]: alerter } });
    url = `http://127.0.0.1:${await app.listen()}`;
  });
  afterAll(() => app.close());

  const post = (route: string, body: unknown) =>
    fetch(`${url}${route}`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('trains 50 models concurrently, each its own run and version', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, seed) => post('/train', { model: 'churn', epochs: 3, seed })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(registry.versions('churn')).toHaveLength(50);
    expect(tracker.runs().every((run) => run.info.status === 'FINISHED')).toBe(true);
  });

  it('promotes, then serves the alias', async () => {
    expect((await post('/promote', { model: 'churn', version: 7 })).status).toBe(200);
    const champion = (await fetch(`${url}/models/churn/aliases/Champion`).then((r) => r.json())) as { version: number };
    expect(champion.version).toBe(7);
  });

  it('runs the app-defined GreetJob, and answers a bad config with 400 naming the key', async () => {
    expect(await post('/jobs/GreetJob', { name: 'Ada', times: 2 })).toEqual({ status: 200, body: { greeting: 'hello Ada, hello Ada' } });
    expect(alerter.alerts.at(-1)?.message).toBe('hello Ada, hello Ada');
    const bad = await post('/jobs/GreetJob', { nmae: 'Ada' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^job\.name: is required.*job\.nmae/); // no internal prefix reaches the client
  });
});
