import path from 'node:path';
import { parseAppConfig } from '../../infrastructure/config';
import { createContainer, resolveJob } from '../../infrastructure/container';
import { ExitCode } from '../exit-codes';

export interface DemoOptions {
  store: string;
}

/**
 * `mlops-kit demo`: the README's first command. Trains a model on the embedded local store, promotes
 * it to Champion, runs a small branch experiment, then says where the runs are and how to browse them.
 */
export async function demoCommand(options: DemoOptions): Promise<number> {
  const store = path.resolve(options.store);
  const model = process.env.MLOPS_MODEL_NAME ?? 'bike-demand';
  const base = {
    app: { name: 'mlops-kit demo' },
    logging: { level: 'info' },
    alerts: { enabled: true },
    tracking: { uri: store, experimentName: 'mlops-kit-demo' },
  };
  const steps = [
    { KIND: 'TrainingJob', model, epochs: 150 },
    { KIND: 'PromotionJob', model, alias: 'Champion' },
    { KIND: 'ExperimentJob', name: 'learning-rate-sweep', grid: { learningRate: [0.01, 0.05, 0.1], l2: [0, 0.01] }, concurrency: 3 },
  ];
  for (const job of steps) {
    const config = parseAppConfig({ ...base, job });
    const result = await resolveJob(createContainer({ config })).execute();
    process.stdout.write(`${JSON.stringify({ kind: job.KIND, ...result })}\n`);
  }
  process.stdout.write(
    [
      '',
      `Runs, metrics, artifacts and the registered model "${model}" are in ${store} (MLflow's file-store layout).`,
      'Browse them with the MLflow UI (MLflow 2.x):',
      `  mlflow server --backend-store-uri ${store} --port 5000   # then open http://127.0.0.1:5000`,
      'or replay them into any MLflow server:',
      `  npx mlops-kit sync ${store} --to http://your-mlflow:5000`,
      '',
    ].join('\n'),
  );
  return ExitCode.OK;
}
