import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ErrorCodes, JobRuntime, TYPES, type MlopsContainer } from 'mlops-kit';
import { InjectContainer, InjectRuntime, MLOPS_CONTAINER, MLOPS_RUNTIME, MlopsModule, type MlopsRuntime } from 'mlops-kit/nest';
import { InMemoryModelRegistry, InMemoryTracker } from 'mlops-kit/testing';
import { CountingTracker, RefusingRegistry } from '../../support/nest';

// A consumer of the module, as an app's service is: the runtime and container injected by decorator.
@Injectable()
class TrainingService {
  constructor(
    @InjectRuntime() readonly runtime: MlopsRuntime,
    @InjectContainer() readonly container: MlopsContainer,
    @Inject(JobRuntime) readonly byClass: JobRuntime,
  ) {}

  train(model: string) {
    return this.runtime.run({ KIND: 'TrainingJob', model, epochs: 2, rows: 40 });
  }
}

describe('MlopsModule.forRoot', () => {
  it('gives one runtime, started at init, to every injection; the container is the one it was built from', async () => {
    const tracker = new InMemoryTracker();
    const moduleRef = await Test.createTestingModule({
      imports: [MlopsModule.forRoot({ profile: 'test', env: {}, overrides: { [TYPES.Tracker]: tracker } })],
      providers: [TrainingService],
    }).compile();
    await moduleRef.init();
    try {
      const service = moduleRef.get(TrainingService);
      expect(service.runtime).toBe(moduleRef.get(MLOPS_RUNTIME));
      expect(service.byClass).toBe(service.runtime);
      expect(service.container).toBe(moduleRef.get(MLOPS_CONTAINER));
      expect(service.container.get(TYPES.Tracker)).toBe(tracker);
      // no start() in app code: the module started it
      expect(await service.train('churn')).toMatchObject({ model: 'churn', version: 1 });
      expect(tracker.runs()).toHaveLength(1);
    } finally {
      await moduleRef.close();
    }
  });

  it('starts the services named in startServices at init, and a refused login fails the boot with its typed error', async () => {
    const registry = new RefusingRegistry();
    const moduleRef = await Test.createTestingModule({
      imports: [MlopsModule.forRoot({ profile: 'test', env: {}, overrides: { [TYPES.ModelRegistry]: registry }, startServices: ['registry'] })],
    }).compile();
    await expect(moduleRef.init()).rejects.toMatchObject({ code: ErrorCodes.UNAUTHORIZED });
    expect(registry.starts).toBe(1);
    // what did start was stopped again: the runtime is not left running
    const runtime = moduleRef.get<JobRuntime>(MLOPS_RUNTIME);
    await expect(runtime.run({ KIND: 'ExampleJob' })).rejects.toMatchObject({ code: ErrorCodes.RUNTIME_CLOSED });
  });

  it('without startServices, services start when a job first needs them (a boot never touches the registry)', async () => {
    const registry = new RefusingRegistry();
    const moduleRef = await Test.createTestingModule({ imports: [MlopsModule.forRoot({ profile: 'test', env: {}, overrides: { [TYPES.ModelRegistry]: registry } })] }).compile();
    await moduleRef.init();
    expect(registry.starts).toBe(0);
    await moduleRef.close();
  });

  it('closes the runtime when the app closes: services stopped (the tracker flushed), new jobs refused', async () => {
    const tracker = new CountingTracker();
    const moduleRef = await Test.createTestingModule({
      imports: [MlopsModule.forRoot({ profile: 'test', env: {}, overrides: { [TYPES.Tracker]: tracker }, startServices: ['tracker'] })],
    }).compile();
    await moduleRef.init();
    expect(tracker.starts).toBe(1);
    const runtime = moduleRef.get<JobRuntime>(MLOPS_RUNTIME);
    await moduleRef.close();
    expect(tracker.stops).toBe(1);
    await expect(runtime.run({ KIND: 'ExampleJob' })).rejects.toMatchObject({ code: ErrorCodes.RUNTIME_CLOSED });
  });

  it('is global by default: a feature module injects the runtime without importing MlopsModule', async () => {
    @Module({ providers: [TrainingService], exports: [TrainingService] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({ imports: [MlopsModule.forRoot({ profile: 'test', env: {} }), FeatureModule] }).compile();
    expect(moduleRef.get(TrainingService).runtime).toBe(moduleRef.get(MLOPS_RUNTIME));
    await moduleRef.close();
  });

  it('isGlobal: false keeps it to the modules that import it', async () => {
    @Module({ providers: [TrainingService] })
    class FeatureModule {}
    const compiling = Test.createTestingModule({ imports: [MlopsModule.forRoot({ profile: 'test', env: {}, isGlobal: false }), FeatureModule] }).compile();
    await expect(compiling).rejects.toThrow(/can't resolve dependencies of the TrainingService/);
  });
});

describe('MlopsModule.forRootAsync', () => {
  const SETTINGS = Symbol('settings');

  it('builds the options from injected providers, once', async () => {
    const registry = new InMemoryModelRegistry();
    const factory = jest.fn((settings: { model: string }) => ({ profile: 'test' as const, env: {}, overrides: { [TYPES.ModelRegistry]: registry }, config: { app: { name: settings.model } } }));
    @Module({ providers: [{ provide: SETTINGS, useValue: { model: 'churn-service' } }], exports: [SETTINGS] })
    class SettingsModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [MlopsModule.forRootAsync({ imports: [SettingsModule], inject: [SETTINGS], useFactory: factory }), SettingsModule],
      providers: [TrainingService],
    }).compile();
    await moduleRef.init();
    await moduleRef.get(TrainingService).train('churn');
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory).toHaveBeenCalledWith({ model: 'churn-service' });
    expect(registry.versions('churn')).toHaveLength(1);
    await moduleRef.close();
  });

  it('an async factory that rejects fails the boot with its error', async () => {
    const compiling = Test.createTestingModule({
      imports: [MlopsModule.forRootAsync({ useFactory: async () => Promise.reject(new Error('vault unreachable')) })],
    }).compile();
    await expect(compiling).rejects.toThrow('vault unreachable');
  });
});

describe('MlopsModule.forTest', () => {
  it('is the test profile: in-memory adapters, no environment read', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [MlopsModule.forTest()], providers: [TrainingService] }).compile();
    await moduleRef.init();
    const service = moduleRef.get(TrainingService);
    await service.train('churn');
    expect((service.container.get(TYPES.Tracker) as InMemoryTracker).runs()).toHaveLength(1);
    await moduleRef.close();
  });
});
