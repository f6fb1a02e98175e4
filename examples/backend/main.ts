import { loadConfig, type Profile } from 'mlops-kit';
import { createApp } from './app';

// Boot: one config, one container, one started runtime for the life of the process.
async function main(): Promise<void> {
  const { config, env } = loadConfig({ files: [process.env.MLOPS_CONFIG ?? 'mlops.yaml'], requireJob: false });
  const refreshMs = process.env.PREDICT_REFRESH_MS === undefined ? undefined : Number(process.env.PREDICT_REFRESH_MS);
  const app = await createApp({ config, env, profile: (process.env.MLOPS_PROFILE ?? 'local') as Profile }, { refreshMs });
  const port = await app.listen(Number(process.env.PORT ?? 8080));
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);

  process.once('SIGTERM', () => {
    void app.close(10_000).then(() => process.stdout.write('stopped\n'));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.message : error)}\n`);
  process.exitCode = 1;
});
