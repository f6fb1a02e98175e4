import { PromotionJob } from '../../../src/application/jobs/promotion-job';
import { ErrorCodes, NotFoundError, ValidationError } from '../../../src/domain/errors';
import { memoryServices, REGISTRY_WRITES, rejectionOf, seedVersions } from './job-services';

const MODEL = 'bike-demand';

describe('PromotionJob', () => {
  it('promotes the latest version when no version is given, confirms it and alerts', async () => {
    const env = memoryServices();
    await seedVersions(env.store, env.tracker, MODEL, 3);
    const result = await new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL }).execute();
    expect(result).toEqual({ model: MODEL, version: 3, alias: 'Champion', dryRun: false, promoted: true, reason: 'No gate: version 3 takes @Champion.' });
    expect(env.store.aliases(MODEL)).toEqual({ Champion: 3 });
    expect(env.alerter.alerts).toEqual([{ title: 'Promotion Job Finished', message: 'Version: 3 @ Champion', level: 'info' }]);
    const chose = env.logger.find((e) => e.message.startsWith('Chose version 3'));
    expect(chose?.fields).toMatchObject({ model: MODEL, version: 3, alias: 'Champion' });
    const confirmed = env.logger.find((e) => e.message === `Confirmed: ${MODEL}@Champion is version 3`);
    expect(confirmed?.fields).toMatchObject({ model: MODEL, version: 3 });
    // the alias was read back after it was set
    expect(env.registryCalls.indexOf('getVersionByAlias')).toBeGreaterThan(env.registryCalls.indexOf('setAlias'));
    expect(PromotionJob.KIND).toBe('PromotionJob');
  });

  it('promotes an explicit version and reports who held the alias before', async () => {
    const env = memoryServices();
    await seedVersions(env.store, env.tracker, MODEL, 3);
    await env.store.setAlias(MODEL, 'Challenger', 1);
    const result = await new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL, alias: 'Challenger', version: 2 }).execute();
    expect(result).toEqual({ model: MODEL, version: 2, alias: 'Challenger', previousVersion: 1, dryRun: false, promoted: true, reason: 'No gate: version 2 takes @Challenger.' });
    expect(env.store.aliases(MODEL)).toEqual({ Challenger: 2 });
    expect(env.alerter.alerts[0]?.message).toBe('Version: 2 @ Challenger');
  });

  it('dry run reports what it would do and changes nothing', async () => {
    const env = memoryServices();
    await seedVersions(env.store, env.tracker, MODEL, 2);
    await env.store.setAlias(MODEL, 'Champion', 1);
    const result = await new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL, dryRun: true }).execute();
    // promoted: false, as the alias did not move; the reason says what would have happened
    expect(result).toEqual({ model: MODEL, version: 2, alias: 'Champion', previousVersion: 1, dryRun: true, promoted: false, reason: 'Dry run: version 2 would take @Champion (no gate); nothing changed.' });
    expect(env.store.aliases(MODEL)).toEqual({ Champion: 1 });
    expect(env.registryCalls.filter((c) => REGISTRY_WRITES.includes(c))).toEqual([]);
    expect(env.logger.messages('info')).toContain(`Dry run: would move alias "Champion" of "${MODEL}" from version 1 to version 2; nothing changed`);
    expect(env.alerter.alerts[0]?.message).toBe('Dry run, nothing changed. Version: 2 @ Champion');
  });

  it('fails with MODEL_NOT_FOUND for an unknown model, naming it and how to fix it', async () => {
    const env = memoryServices();
    const error = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: 'nope' }).execute());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe(ErrorCodes.MODEL_NOT_FOUND);
    expect(error.message).toBe('Registered model "nope" does not exist; check job.model, or register a version first (run a TrainingJob with model: nope).');
    expect(env.registryCalls.filter((c) => REGISTRY_WRITES.includes(c))).toEqual([]);
  });

  it('fails with MODEL_HAS_NO_VERSIONS for a model without versions', async () => {
    const env = memoryServices();
    await env.store.createRegisteredModel(MODEL);
    const error = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL }).execute());
    expect(error.code).toBe(ErrorCodes.MODEL_HAS_NO_VERSIONS);
    expect(error.message).toMatch(/has no versions to promote; register one first/);
    expect(env.store.aliases(MODEL)).toEqual({});
  });

  it('fails with MODEL_VERSION_NOT_FOUND for a missing version, saying which is the latest', async () => {
    const env = memoryServices();
    await seedVersions(env.store, env.tracker, MODEL, 2);
    const error = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL, version: 9 }).execute());
    expect(error.code).toBe(ErrorCodes.MODEL_VERSION_NOT_FOUND);
    expect(error.message).toBe(
      `Model "${MODEL}" has no version 9 (the latest is 2); set job.version to an existing version or omit it to promote the latest.`,
    );
    expect(error.message).not.toContain('\n');
    expect(env.store.aliases(MODEL)).toEqual({});
  });

  it.each(['latest', 'LATEST', 'v3', 'V12', 'bad alias', 'x/y', ''])('refuses alias %j with INVALID_ALIAS before any registry call', async (alias) => {
    const env = memoryServices();
    await seedVersions(env.store, env.tracker, MODEL, 1);
    env.registryCalls.length = 0;
    const error = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL, alias }).execute());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCodes.INVALID_ALIAS);
    expect(error.message).not.toContain('\n');
    expect(env.registryCalls).toEqual([]);
  });

  it('refuses a bad model name and a non-positive version before any registry call', async () => {
    const env = memoryServices();
    const badName = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: 'a/b' }).execute());
    expect(badName.code).toBe(ErrorCodes.INVALID_MODEL_NAME);
    const badVersion = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL, version: 0 }).execute());
    expect(badVersion.code).toBe(ErrorCodes.VALIDATION);
    expect(badVersion.message).toMatch(/^job\.version: Too small: expected number to be >=1/);
    expect(env.registryCalls).toEqual([]);
  });

  it('re-promoting the version that already holds the alias is a no-op that still succeeds', async () => {
    const env = memoryServices();
    await seedVersions(env.store, env.tracker, MODEL, 1);
    await env.store.setAlias(MODEL, 'Champion', 1);
    const result = await new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL }).execute();
    expect(result).toMatchObject({ version: 1, previousVersion: 1, promoted: true, reason: 'Version 1 already holds @Champion.' });
    expect(env.store.aliases(MODEL)).toEqual({ Champion: 1 });
  });
});
