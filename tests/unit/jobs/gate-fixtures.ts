import { writeFile } from 'node:fs/promises';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { generateBikeDemand } from '../../../src/application/training/dataset';
import type { JobServices } from '../../../src/application/jobs/job';

/** Writes a bike-demand holdout CSV (features + `demand`) from `seed`, optionally without one column. */
export async function writeHoldout(file: string, options: { seed?: number; rows?: number; without?: string } = {}): Promise<void> {
  const data = await generateBikeDemand(options.seed ?? 99, options.rows ?? 300);
  const columns = [...data.featureNames, data.target];
  const keep = columns.map((c) => c !== options.without);
  const line = (cells: (string | number)[]) => cells.filter((_, i) => keep[i]).join(',');
  await writeFile(file, [line(columns), ...data.features.map((row, i) => line([...row, data.targets[i]!]))].join('\n') + '\n');
}

/** Registers a barely trained version 1 and a well trained version 2 of `model`. */
export async function weakAndStrongVersions(services: JobServices, model: string): Promise<{ weak: number; strong: number }> {
  const weak = await new TrainingJob(services, { KIND: 'TrainingJob', model, epochs: 1, learningRate: 0.001 }).execute();
  const strong = await new TrainingJob(services, { KIND: 'TrainingJob', model, epochs: 300 }).execute();
  return { weak: weak.version!, strong: strong.version! };
}
