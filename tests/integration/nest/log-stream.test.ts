import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { defineJob, Job, TYPES, type BuiltinJobDefinition, type JobRuntime, type MlopsContainer } from 'mlops-kit';
import { MLOPS_CONTAINER, MLOPS_RUNTIME, MlopsModule, NestLoggerAdapter } from 'mlops-kit/nest';
import { MemoryLogger } from 'mlops-kit/testing';
import { recordingLogger } from '../../support/nest';

const PASSWORD = 'pw-from-env-1234';

// An app job that logs what it connects with: the password must never reach the app's log stream.
class ConnectJob extends Job<{ ok: boolean }> {
  readonly kind = 'ConnectJob';
  protected async run() {
    this.logger.info(`connecting with ${PASSWORD}`, { attempt: 1 });
    return { ok: true };
  }
}
const ConnectJobDefinition = defineJob({ kind: 'ConnectJob', description: 'Logs a line.', schema: z.strictObject({ KIND: z.literal('ConnectJob') }), uses: [], create: (c) => new ConnectJob(c) });

async function boot(options: Parameters<typeof MlopsModule.forRoot>[0]) {
  const nest = recordingLogger();
  const moduleRef = await Test.createTestingModule({ imports: [MlopsModule.forRoot(options)] }).compile();
  moduleRef.useLogger(nest);
  await moduleRef.init();
  return { nest, moduleRef, runtime: moduleRef.get<JobRuntime<BuiltinJobDefinition | typeof ConnectJobDefinition>>(MLOPS_RUNTIME) };
}

it("mlops-kit's lines join the app's Nest log stream, job lines under the job's context, the environment's secrets redacted", async () => {
  const { nest, moduleRef, runtime } = await boot({ profile: 'test', env: { MLFLOW_TRACKING_PASSWORD: PASSWORD }, jobs: [ConnectJobDefinition] });
  await runtime.run({ KIND: 'ConnectJob' });
  await moduleRef.close();
  expect(nest.lines('mlops-kit:ConnectJob')).toEqual(['connecting with *** {"attempt":1}']);
  expect(JSON.stringify(nest.calls)).not.toContain(PASSWORD);
});

it("config's logging.level applies before Nest's own levels", async () => {
  const { nest, moduleRef, runtime } = await boot({ profile: 'test', env: {}, config: { logging: { level: 'warn' } }, jobs: [ConnectJobDefinition] });
  await runtime.run({ KIND: 'ConnectJob' });
  await moduleRef.close();
  expect(nest.lines('mlops-kit:ConnectJob')).toEqual([]);
});

it('an app that binds its own logger keeps it: nothing goes through Nest', async () => {
  const logger = new MemoryLogger();
  const { nest, moduleRef, runtime } = await boot({ profile: 'test', env: {}, overrides: { [TYPES.Logger]: logger }, jobs: [ConnectJobDefinition] });
  await runtime.run({ KIND: 'ConnectJob' });
  await moduleRef.close();
  expect(logger.messages()).toContain(`connecting with ${PASSWORD}`);
  expect(nest.calls.filter((c) => String(c.params.at(-1)).startsWith('mlops-kit'))).toEqual([]);
});

it('the module binds the Nest adapter as TYPES.Logger', async () => {
  const { moduleRef } = await boot({ profile: 'test', env: {} });
  expect(moduleRef.get<MlopsContainer>(MLOPS_CONTAINER).get(TYPES.Logger)).toBeInstanceOf(NestLoggerAdapter);
  await moduleRef.close();
});
