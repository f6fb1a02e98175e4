import { benchMlflowLogging, benchQueueMemory, queueMemoryChild } from './mlflow-logging';
import { benchJobRuntime } from './job-runtime';
import { benchLocalStore } from './local-store';
import { benchQueue } from './queue';
import { benchStartup } from './startup';
import { benchImportCost } from './import-cost';
import { benchPackageSize } from './package-size';
import { benchServing } from './serving';
import { benchBackendPredict } from './backend-predict';
import { benchInference, inferenceChild } from './inference';

/** `npm run bench`: every benchmark, each printing one table. `--only <name>` runs one section. */
async function main(argv: string[]): Promise<void> {
  if (valueOf(argv, '--child') === 'queue-memory') {
    return queueMemoryChild(valueOf(argv, '--uri')!, valueOf(argv, '--mode') as 'awaited' | 'fire-and-forget');
  }
  if (valueOf(argv, '--child') === 'inference') return inferenceChild(valueOf(argv, '--store')!, valueOf(argv, '--input')!, valueOf(argv, '--model')!);
  const only = valueOf(argv, '--only');
  const uri = valueOf(argv, '--uri');
  const sections: Record<string, () => Promise<void> | void> = {
    startup: () => benchStartup(),
    import: () => benchImportCost(),
    package: () => benchPackageSize(),
    mlflow: () => benchMlflowLogging({ uri }),
    memory: () => (uri ? undefined : benchQueueMemory()),
    local: () => benchLocalStore(),
    runtime: () => benchJobRuntime(),
    queue: () => benchQueue(),
    serving: () => benchServing(),
    backend: () => benchBackendPredict(),
    inference: () => benchInference(),
  };
  for (const [name, run] of Object.entries(sections)) {
    if (!only || only === name) await run();
  }
}

function valueOf(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

void main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
