import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ErrorCodes, TYPES, type JobRuntime, type MlopsContainer } from 'mlops-kit';
import { MLOPS_CONTAINER, MLOPS_CONTAINER_OPTIONS, MLOPS_RUNTIME, MLOPS_TEST_OPTIONS, MlopsModule, type MlopsTestOptions } from 'mlops-kit/nest';
import { InMemoryModelRegistry, InMemoryTracker, MemoryAlerter } from 'mlops-kit/testing';
import { RefusingRegistry } from '../../support/nest';

/**
 * An app's tests rebind adapters through Nest's own `overrideProvider`: the changes are read when the
 * container is built, before anything resolves, so the app's real adapter is never started.
 */
const refusing = new RefusingRegistry();
const appAlerter = new MemoryAlerter();

// The app under test: its registry refuses logins (as production's would from a test machine) and it
// starts that registry at boot, so a boot that ever touched it would fail.
@Module({
  imports: [MlopsModule.forRoot({ profile: 'test', env: {}, overrides: { [TYPES.ModelRegistry]: refusing, [TYPES.Alerter]: appAlerter }, startServices: ['registry'] })],
})
class AppModule {}

afterEach(() => {
  refusing.starts = 0;
});

it('the app as written fails its boot (the baseline the overrides change)', async () => {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  await expect(moduleRef.init()).rejects.toMatchObject({ code: ErrorCodes.UNAUTHORIZED });
});

describe('overrideProvider(MLOPS_TEST_OPTIONS)', () => {
  it('rebinds the registry before anything resolves: the app boots and its jobs use the test double', async () => {
    const registry = new InMemoryModelRegistry();
    const tracker = new InMemoryTracker();
    const changes: MlopsTestOptions = { overrides: { [TYPES.ModelRegistry]: registry, [TYPES.Tracker]: tracker } };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(MLOPS_TEST_OPTIONS).useValue(changes).compile();
    await moduleRef.init();
    const runtime = moduleRef.get<JobRuntime>(MLOPS_RUNTIME);
    await runtime.run({ KIND: 'TrainingJob', model: 'churn', epochs: 2, rows: 40 });
    expect(registry.versions('churn')).toHaveLength(1);
    expect(refusing.starts).toBe(0);
    // the app's own override of the alerter stays: the test's overrides are added to the app's
    expect(moduleRef.get<MlopsContainer>(MLOPS_CONTAINER).get(TYPES.Alerter)).toBe(appAlerter);
    await moduleRef.close();
  });

  it('replaces the other options it names and keeps the rest (startServices emptied here)', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(MLOPS_TEST_OPTIONS).useValue({ startServices: [] }).compile();
    await moduleRef.init();
    expect(refusing.starts).toBe(0);
    expect(moduleRef.get<MlopsContainer>(MLOPS_CONTAINER).get(TYPES.Alerter)).toBe(appAlerter);
    await moduleRef.close();
  });
});

describe('overrideProvider(MLOPS_CONTAINER_OPTIONS)', () => {
  it('replaces the app options whole', async () => {
    const tracker = new InMemoryTracker();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(MLOPS_CONTAINER_OPTIONS)
      .useValue({ profile: 'test', env: {}, overrides: { [TYPES.Tracker]: tracker } })
      .compile();
    await moduleRef.init();
    await moduleRef.get<JobRuntime>(MLOPS_RUNTIME).run({ KIND: 'ExampleJob' });
    expect(tracker.runs()).toHaveLength(1);
    expect(refusing.starts).toBe(0);
    expect(moduleRef.get<MlopsContainer>(MLOPS_CONTAINER).get(TYPES.Alerter)).not.toBe(appAlerter);
    await moduleRef.close();
  });
});
