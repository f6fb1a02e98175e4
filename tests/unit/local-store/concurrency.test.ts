/**
 * Concurrency guarantees of the local store, with real files and real processes:
 * - 50 runs logging at once in one process: every metric line intact, counts exact, params and tags complete;
 * - two OS processes on one store: model version numbers never collide, metric lines never interleave,
 *   one experiment per name.
 *
 * The child processes run the real TypeScript sources: the generated worker installs a `.ts` require
 * hook that transpiles each file with the project's own `typescript` package (what ts-node does, minus
 * type checking), then drives LocalModelRegistry/LocalTracker exactly as the parent would. Both workers
 * wait for a "go" file, so their writes overlap instead of running one after the other.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LocalModelRegistry, LocalTracker } from '../../../src/infrastructure/tracking/local';
import { tempStore } from './store-fixture';
import { TS_REQUIRE_HOOK } from '../../support/ts-require-hook';

const LINE = /^\d+ -?\d+(\.\d+)?(e[+-]\d+)? \d+$/;

describe('local store under concurrency', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore('mlops-concurrency-');
  });
  afterEach(async () => {
    await store.remove();
  });

  it('50 runs logging at once in one process keep every line intact and every count exact', async () => {
    const tracker = new LocalTracker({ root: store.root, experimentName: 'parallel' });
    await tracker.start();
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => tracker.createRun({ runName: `run-${i}` })));
    await Promise.all(
      runs.map(async (run, r) => {
        // 40 values per key, logged without awaiting each other, plus a batch call per step
        await Promise.all(Array.from({ length: 40 }, (_, step) => tracker.logMetric(run.runId, 'loss', r + step / 100, { step })));
        await Promise.all(Array.from({ length: 10 }, (_, step) => tracker.logMetrics(run.runId, { acc: step, 'eval/f1': step / 10 }, { step })));
        await tracker.logParams(run.runId, { index: r, seed: 7 });
        await tracker.setTags(run.runId, { group: String(r % 5) });
      }),
    );
    await tracker.flush();
    for (const [r, run] of runs.entries()) {
      const text = await fs.readFile(path.join(store.root, run.experimentId, run.runId, 'metrics', 'loss'), 'utf8');
      const lines = text.split('\n').filter(Boolean);
      expect(lines).toHaveLength(40);
      expect(lines.every((line) => LINE.test(line))).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
      const history = await tracker.getMetricHistory(run.runId, 'loss');
      expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, s) => s));
      const { data } = await tracker.getRun(run.runId);
      expect((await tracker.getMetricHistory(run.runId, 'eval/f1')).length).toBe(10);
      expect(data.params).toEqual({ index: String(r), seed: '7' });
      expect(data.tags.group).toBe(String(r % 5));
    }
    expect((await tracker.searchRuns({ experimentIds: [runs[0]!.experimentId] })).items).toHaveLength(50);
    await tracker.stop();
  });

  it('many concurrent param writes of one key: exactly one value wins, the other writers get a ConflictError', async () => {
    const tracker = new LocalTracker({ root: store.root });
    await tracker.start();
    const run = await tracker.createRun();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => tracker.logParam(run.runId, 'choice', `v${i}`)));
    const won = (await tracker.getRun(run.runId)).data.params.choice;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'CONFLICT')).toBe(true);
    expect(won).toMatch(/^v\d$/);
    await tracker.stop();
  });

  it('two processes registering versions and appending metrics on one store never collide', async () => {
    const setup = new LocalTracker({ root: store.root });
    await setup.start();
    const shared = await setup.createRun({ runName: 'shared' });
    const registry = new LocalModelRegistry({ root: store.root });
    await registry.start();
    const workerFile = path.join(store.root, '..', `${path.basename(store.root)}-worker.js`);
    await fs.writeFile(workerFile, WORKER);
    const go = path.join(store.root, '..', `${path.basename(store.root)}-go`);
    try {
      const children = [1, 2].map((role) => runWorker(workerFile, { STORE: store.root, ROLE: String(role), GO: go, RUN_ID: shared.runId }));
      await Promise.all(children.map((c) => c.ready));
      await fs.writeFile(go, 'go');
      const outputs = await Promise.all(children.map((c) => c.done));

      const versions = outputs.flatMap((o) => o.versions as number[]).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 2 * VERSIONS_PER_WORKER }, (_, i) => i + 1));
      for (const version of [1, versions.length]) {
        expect((await registry.getModelVersion('shared-model', version)).version).toBe(version);
      }
      expect((await registry.getLatestVersion('shared-model'))?.version).toBe(versions.length);

      const text = await fs.readFile(path.join(store.root, shared.experimentId, shared.runId, 'metrics', 'shared'), 'utf8');
      const lines = text.split('\n').filter(Boolean);
      expect(lines).toHaveLength(2 * BATCHES_PER_WORKER);
      expect(lines.every((line) => LINE.test(line))).toBe(true);
      const values = lines.map((line) => Number(line.split(' ')[1])).sort((a, b) => a - b);
      const expected = [1, 2].flatMap((role) => Array.from({ length: BATCHES_PER_WORKER }, (_, i) => role * 1000 + i)).sort((a, b) => a - b);
      expect(values).toEqual(expected);

      expect(new Set(outputs.map((o) => o.experimentId)).size).toBe(1);
      const experiments = await Promise.all(
        (await fs.readdir(store.root)).filter((d) => /^\d+$/.test(d)).map(async (d) => (await setup.getExperiment(d)).name),
      );
      expect(experiments.filter((n) => n === 'race-exp')).toHaveLength(1);
    } finally {
      await setup.stop();
      await fs.rm(workerFile, { force: true });
      await fs.rm(go, { force: true });
    }
  });
});

const VERSIONS_PER_WORKER = 15;
const BATCHES_PER_WORKER = 150;

const WORKER = `${TS_REQUIRE_HOOK}
const { LocalModelRegistry, LocalTracker } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/infrastructure/tracking/local/index.ts'))});
const { STORE, ROLE, GO, RUN_ID } = process.env;
(async () => {
  const registry = new LocalModelRegistry({ root: STORE });
  const tracker = new LocalTracker({ root: STORE });
  await registry.start();
  await tracker.start();
  process.stdout.write('ready\\n');
  while (!fs.existsSync(GO)) await new Promise((r) => setTimeout(r, 2));
  await registry.createRegisteredModel('shared-model');
  const versions = [];
  const register = async () => {
    for (let i = 0; i < ${VERSIONS_PER_WORKER} / 3; i++) {
      versions.push((await registry.createModelVersion({ name: 'shared-model', source: 's3://b/' + ROLE })).version);
    }
  };
  const append = async () => {
    for (let i = 0; i < ${BATCHES_PER_WORKER}; i++) await tracker.logMetric(RUN_ID, 'shared', Number(ROLE) * 1000 + i, { step: i });
  };
  const [experimentId] = await Promise.all([tracker.getOrCreateExperiment('race-exp'), register(), register(), register(), append()]);
  await tracker.stop();
  process.stdout.write(JSON.stringify({ versions, experimentId }) + '\\n');
})().catch((e) => { console.error(e); process.exit(1); });
`;

function runWorker(file: string, env: Record<string, string>): { ready: Promise<void>; done: Promise<Record<string, unknown>> } {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.on('close', (code) => {
      markReady();
      if (code !== 0) return reject(new Error(`worker ${env.ROLE} exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>);
    });
  });
  return { ready, done };
}
