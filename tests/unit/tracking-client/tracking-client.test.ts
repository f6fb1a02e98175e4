/**
 * The rules the one TrackingClient owns, checked over the real MemoryTrackingStore behind a small
 * recording layer (a real TrackingStore decorator that counts calls and can answer like a server that is
 * down). What every backend must do alike is in tests/contract; this is what only the client decides.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TrackerUnavailableError } from '../../../src/domain/errors';
import type { RunStatus } from '../../../src/domain/model/run';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { TrackingClient } from '../../../src/infrastructure/tracking/client';
import type { NewRun, StoreTraits } from '../../../src/infrastructure/tracking/client';
import { MemoryTrackingStore } from '../../../src/infrastructure/tracking/memory/memory-tracking-store';

/** MemoryTrackingStore with call counts, a chosen tag limit, and an outage switch for getRun. */
class RecordingStore extends MemoryTrackingStore {
  readonly calls: Record<string, number> = {};
  down = false;
  constructor(private readonly traits: StoreTraits = { tagValueLimit: 8000 }) {
    super(() => 1_000);
  }
  private count(name: string): void {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }
  override async open(): Promise<StoreTraits> {
    this.count('open');
    return this.traits;
  }
  override async close(): Promise<void> {
    this.count('close');
  }
  override async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    this.count('getOrCreateExperiment');
    await new Promise((resolve) => setTimeout(resolve, 5));
    return super.getOrCreateExperiment(name, tags);
  }
  override async createRun(run: NewRun) {
    this.count('createRun');
    return super.createRun(run);
  }
  override async getRun(runId: string) {
    this.count('getRun');
    if (this.down) throw new TrackerUnavailableError('MLflow at http://mlflow:5000 is unavailable.');
    return super.getRun(runId);
  }
  override async updateRun(runId: string, patch: { status?: RunStatus; endTime?: number }) {
    this.count('updateRun');
    return super.updateRun(runId, patch);
  }
  override artifactStore(artifactUri: string) {
    this.count('artifactStore');
    return super.artifactStore(artifactUri);
  }
}

const warnings = (logger: MemoryLogger): string[] => logger.entries.filter((e) => e.level === 'warn').map((e) => e.message);

describe('TrackingClient', () => {
  it('cuts tags at the limit the store reported when it opened, with one warning per kind per client', async () => {
    const logger = new MemoryLogger();
    const store = new RecordingStore({ tagValueLimit: 5000 });
    const client = new TrackingClient(store, { logger, userId: 'ci' });
    await client.start();
    const { runId } = await client.createRun();
    await client.setTags(runId, { a: 'x'.repeat(6000), b: 'y'.repeat(9000) });
    await client.logParams(runId, { p: 'z'.repeat(7000), q: 'w'.repeat(7000) });
    const { data } = await client.getRun(runId);
    expect([data.tags.a!.length, data.tags.b!.length, data.params.p!.length]).toEqual([5000, 5000, 6000]);
    expect(warnings(logger)).toEqual([expect.stringContaining('tag "a"'), expect.stringContaining('param "p"')]);
    // another client is another caller: it warns once again
    const other = new TrackingClient(store, { logger });
    await other.setTag(runId, 'c', 'v'.repeat(9000));
    expect(warnings(logger)).toHaveLength(3);
  });

  it('resolves the default experiment once for concurrent callers and tries again after a failure', async () => {
    const store = new RecordingStore();
    const client = new TrackingClient(store, { experimentName: 'churn' });
    const [, run] = await Promise.all([client.start(), client.createRun()]);
    expect(store.calls.getOrCreateExperiment).toBe(1);
    expect(run.experimentId).toBe(client.defaultExperimentId);

    const failing = new RecordingStore();
    let fail = true;
    const original = failing.getOrCreateExperiment.bind(failing);
    failing.getOrCreateExperiment = async (name) => {
      if (fail) throw new TrackerUnavailableError('down');
      return original(name);
    };
    const retried = new TrackingClient(failing, { experimentName: 'churn' });
    await expect(retried.start()).rejects.toBeInstanceOf(TrackerUnavailableError);
    fail = false;
    await retried.start();
    expect(retried.defaultExperimentId).toBe((await failing.getExperimentByName('churn'))?.experimentId);
  });

  it('chooses a run\'s artifact store once, from the URI createRun answered', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-client-artifacts-'));
    try {
      const store = new RecordingStore();
      const client = new TrackingClient(store);
      const { runId } = await client.createRun();
      await fs.writeFile(path.join(dir, 'a.txt'), 'a');
      await client.logArtifact(runId, path.join(dir, 'a.txt'));
      expect(await client.listArtifacts(runId)).toEqual([{ path: 'a.txt', isDir: false, fileSize: 1 }]);
      expect(store.calls.artifactStore).toBe(1);
      expect(store.calls.getRun ?? 0).toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('kill-on-stop stops at the first TrackerUnavailableError: a server that is down cannot be told about the others', async () => {
    const logger = new MemoryLogger();
    const store = new RecordingStore();
    const client = new TrackingClient(store, { logger });
    await client.start();
    await client.createRun();
    await client.createRun();
    store.down = true;
    await expect(client.stop()).rejects.toBeInstanceOf(TrackerUnavailableError);
    expect(store.calls.getRun).toBe(1);
    expect(store.calls.updateRun ?? 0).toBe(0);
    expect(warnings(logger)).toEqual([]);
    expect(store.calls.close).toBe(1); // the store is closed all the same
  });

  it('kills only runs still RUNNING, one warning each, and none at all with killOpenRunsOnStop: false', async () => {
    const logger = new MemoryLogger();
    const store = new RecordingStore();
    const client = new TrackingClient(store, { logger });
    const open = await client.createRun();
    const endedElsewhere = await client.createRun();
    await store.updateRun(endedElsewhere.runId, { status: 'FINISHED', endTime: 2_000 });
    await client.stop();
    expect(store.run(open.runId).info.status).toBe('KILLED');
    expect(store.run(endedElsewhere.runId).info.status).toBe('FINISHED');
    expect(warnings(logger)).toEqual([expect.stringContaining(open.runId)]);

    const syncing = new TrackingClient(store, { logger, killOpenRunsOnStop: false });
    const left = await syncing.createRun();
    await syncing.stop();
    expect(store.run(left.runId).info.status).toBe('RUNNING');
  });

  it('is restartable: start → stop → start opens the store again and logs as before', async () => {
    const store = new RecordingStore();
    const client = new TrackingClient(store);
    await client.start();
    await client.stop();
    await client.stop(); // idempotent
    await client.start();
    const { runId } = await client.createRun();
    await client.logMetric(runId, 'loss', 1);
    expect((await client.getMetricHistory(runId, 'loss')).map((m) => m.value)).toEqual([1]);
    await client.stop();
    expect([store.calls.open, store.calls.close]).toEqual([2, 2]);
  });

  it('records the configured user, else the OS user, never an empty one', async () => {
    const store = new RecordingStore();
    const named = await new TrackingClient(store, { userId: 'ana' }).createRun();
    const anonymous = await new TrackingClient(store).createRun();
    expect(store.run(named.runId).data.tags['mlflow.user']).toBe('ana');
    expect(store.run(anonymous.runId).info.userId).toMatch(/.+/);
  });
});
