import { randomBytes, randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StoreLayout } from '../../src/infrastructure/tracking/local/local-layout';
import { LocalLoggedModelStore } from '../../src/infrastructure/tracking/local/local-logged-model-store';
import { MemoryLoggedModelStore } from '../../src/infrastructure/tracking/memory/memory-logged-model-store';
import { writeExperiment, writeRun } from '../unit/local-store/logged-models-fixture';
import { describeLoggedModelBehaviour } from './logged-model-behaviour';

const newRunId = () => randomBytes(16).toString('hex');
const newExperimentId = () => String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000_000, 999_999_999));

describeLoggedModelBehaviour('LocalLoggedModelStore', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-lm-behaviour-'));
  return {
    store: new LocalLoggedModelStore(new StoreLayout(root)),
    newExperiment: async () => {
      const id = newExperimentId();
      await writeExperiment(root, id, `exp-${id}`);
      return id;
    },
    newRun: async (experimentId) => {
      const id = newRunId();
      await writeRun(root, experimentId, id);
      return id;
    },
    expectedArtifactUri: (experimentId, modelId) => `${pathToFileURL(path.join(root, experimentId)).href}/models/${modelId}/artifacts`,
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
});

describeLoggedModelBehaviour('MemoryLoggedModelStore', async () => {
  const experiments = new Set<string>();
  const runs = new Map<string, string>();
  return {
    store: new MemoryLoggedModelStore({ lookup: { experimentOf: (runId) => runs.get(runId), hasExperiment: (id) => experiments.has(id) } }),
    newExperiment: async () => {
      const id = newExperimentId();
      experiments.add(id);
      return id;
    },
    newRun: async (experimentId) => {
      const id = newRunId();
      runs.set(id, experimentId);
      return id;
    },
    expectedArtifactUri: (experimentId, modelId) => `memory:/${experimentId}/models/${modelId}/artifacts`,
    cleanup: async () => undefined,
  };
});
