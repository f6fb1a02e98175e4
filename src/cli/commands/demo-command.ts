import path from 'node:path';
import { createContainer, createRuntime } from '../../infrastructure/container';
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
  const config = {
    app: { name: 'mlops-kit demo' },
    logging: { level: 'info' as const },
    alerts: { enabled: true },
    tracking: { uri: store, experimentName: 'mlops-kit-demo' },
  };
  // one runtime for the three jobs, as an app would run them: services start once, stop once
  const runtime = createRuntime(createContainer({ config }));
  await runtime.start();
  try {
    const print = (kind: string, result: object) => process.stdout.write(`${JSON.stringify({ kind, ...result })}\n`);
    print('TrainingJob', await runtime.run({ KIND: 'TrainingJob', model, epochs: 150 }));
    print('PromotionJob', await runtime.run({ KIND: 'PromotionJob', model, alias: 'Champion' }));
    print(
      'ExperimentJob',
      await runtime.run({ KIND: 'ExperimentJob', name: 'learning-rate-sweep', grid: { learningRate: [0.01, 0.05, 0.1], l2: [0, 0.01] }, concurrency: 3 }),
    );
  } finally {
    await runtime.close();
  }
  process.stdout.write(
    [
      '',
      `Runs, metrics, artifacts and the registered model "${model}" are in ${store} (MLflow's file-store layout).`,
      'Browse them with the MLflow UI (MLflow 3.x reads all of it, logged models included; 2.x the runs, metrics, datasets and registry):',
      `  MLFLOW_ALLOW_FILE_STORE=true mlflow server --backend-store-uri ${store} --port 5000   # then open http://127.0.0.1:5000`,
      'or replay them into any MLflow server:',
      `  npx mlops-kit sync ${store} --to http://your-mlflow:5000`,
      '',
    ].join('\n'),
  );
  return ExitCode.OK;
}
