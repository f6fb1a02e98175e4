import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, loadConfig, resolveJob, TYPES, type IAlerter } from '../../src';
import { createTestContainer, InMemoryModelRegistry, InMemoryTracker, MemoryLogger } from '../../src/entries/testing';

/** The README's "Embedding in an app" snippets, run as written against the public API (src/index.ts). */
describe('README examples', () => {
  it('a custom alerter rebound before the first get receives the job alert', async () => {
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body).text);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-readme-'));
    try {
      class SlackAlerter implements IAlerter {
        readonly serviceName = 'alerter:slack';
        constructor(private readonly webhookUrl: string) {}
        async start() {}
        async stop() {}
        async notify(title: string, message: string) {
          await fetch(this.webhookUrl, { method: 'POST', body: JSON.stringify({ text: `${title}: ${message}` }) });
        }
      }
      const file = path.join(dir, 'training.yaml');
      await writeFile(file, 'tracking:\n  uri: memory\njob:\n  KIND: TrainingJob\n  model: churn\n  epochs: 5\n');
      const { config, env } = loadConfig({ files: [file], sets: ['job.seed=7'], env: {}, envFile: false });
      const container = createContainer({ config, env, overrides: { [TYPES.Logger]: new MemoryLogger() } });
      container.rebindSync(TYPES.Alerter).toConstantValue(new SlackAlerter(webhookUrl));
      const result = await resolveJob(container).execute();
      expect(result).toMatchObject({ model: 'churn', version: 1 });
      expect(received).toEqual(['Training Job Finished: Model version: 1']);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('createTestContainer with overrides', async () => {
    const tracker = new InMemoryTracker();
    const registry = new InMemoryModelRegistry();
    const container = createTestContainer({
      config: { job: { KIND: 'TrainingJob', model: 'churn', epochs: 10 } },
      overrides: { [TYPES.Tracker]: tracker, [TYPES.ModelRegistry]: registry },
    });
    const { runId } = await resolveJob(container).execute();
    expect(tracker.metrics(runId as string, 'loss')).toHaveLength(10);
    expect(registry.versions('churn')).toHaveLength(1);
  });
});
