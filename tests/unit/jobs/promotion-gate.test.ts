import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { portsOf } from '../../../src/application/jobs/job-definition';
import { PromotionJob, PromotionJobDefinition } from '../../../src/application/jobs/promotion-job';
import type { PromotionGateConfig } from '../../../src/application/jobs/schemas/promotion';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { ConfigError, ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { writeHoldout, weakAndStrongVersions } from './gate-fixtures';
import { memoryServices, REGISTRY_WRITES, rejectionOf } from './job-services';

const MODEL = 'bike-demand';
let tmp: string;
let holdout: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'promotion-gate-'));
  holdout = path.join(tmp, 'holdout.csv');
  await writeHoldout(holdout);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function setup(champion?: 'weak' | 'strong') {
  const env = memoryServices();
  const versions = await weakAndStrongVersions(env.services, MODEL);
  if (champion) await env.store.setAlias(MODEL, 'Champion', versions[champion]);
  env.registryCalls.length = 0;
  const runsBefore = env.tracker.runs().length;
  const promote = (version: number, gate: Partial<PromotionGateConfig> = {}, extra: { alias?: string; dryRun?: boolean } = {}) =>
    new PromotionJob(env.services, { KIND: 'PromotionJob', model: MODEL, version, ...extra, gate: { dataPath: holdout, target: 'demand', metric: 'rmse', ...gate } }).execute();
  const newRuns = () => env.tracker.runs().slice(runsBefore);
  const writes = () => env.registryCalls.filter((c) => REGISTRY_WRITES.includes(c));
  return { env, ...versions, promote, newRuns, writes };
}

describe('PromotionJob gate', () => {
  it('candidate wins: the alias moves, and ONE evaluation run records both scores, the decision and the holdout', async () => {
    const { env, weak, strong, promote, newRuns } = await setup('weak');
    const result = await promote(strong);
    expect(result).toMatchObject({ version: strong, previousVersion: weak, promoted: true, dryRun: false });
    expect(result.reason).toMatch(new RegExp(`^Version ${strong} beats version ${weak} \\(@Champion\\): rmse [\\d.]+ vs [\\d.]+\\.$`));
    expect(result.gate).toEqual({ metric: 'rmse', mustBeat: 'Champion', holderVersion: weak, candidateScore: expect.any(Number), holderScore: expect.any(Number), runId: expect.any(String) });
    expect(result.gate!.candidateScore!).toBeLessThan(result.gate!.holderScore!);
    expect(env.store.aliases(MODEL)).toEqual({ Champion: strong });

    const runs = newRuns();
    expect(runs).toHaveLength(1);
    const run = await env.tracker.getRun(result.gate!.runId!);
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.tags).toMatchObject({
      'mlops.job': 'PromotionJob',
      'mlops.gate.candidate_version': String(strong),
      'mlops.gate.holder_version': String(weak),
      'mlops.gate.metric': 'rmse',
      'mlops.gate.decision': 'promote',
    });
    expect(run.data.metrics.candidate_rmse?.value).toBe(result.gate!.candidateScore);
    expect(run.data.metrics.holder_rmse?.value).toBe(result.gate!.holderScore);
    expect(run.data.params).toMatchObject({ model: MODEL, alias: 'Champion', must_beat: 'Champion', metric: 'rmse', target: 'demand', rows: '300' });
    const [input] = run.inputs!.datasetInputs;
    expect(input).toMatchObject({ tags: { 'mlflow.data.context': 'evaluation' }, dataset: { name: 'holdout', sourceType: 'local' } });
    expect(JSON.parse(input!.dataset.profile!)).toMatchObject({ num_rows: 300 });
  });

  it('candidate loses: a successful job that says promoted: false, the alias and registry untouched, the evaluation logged', async () => {
    const { env, weak, strong, promote, writes } = await setup('strong');
    const result = await promote(weak);
    expect(result).toMatchObject({ version: weak, previousVersion: strong, promoted: false });
    expect(result.reason).toMatch(new RegExp(`^Version ${weak} does not beat version ${strong} \\(@Champion\\): rmse`));
    expect(env.store.aliases(MODEL)).toEqual({ Champion: strong });
    expect(writes()).toEqual([]);
    const run = await env.tracker.getRun(result.gate!.runId!);
    expect(run.data.tags['mlops.gate.decision']).toBe('refuse');
    expect(env.alerter.alerts.at(-1)).toEqual({ title: 'Promotion Job Finished', message: `Not promoted: ${result.reason}`, level: 'info' });
  });

  it('no holder yet: the threshold decides, both ways; without a threshold the candidate is promoted and the reason says so', async () => {
    const { env, strong, promote, writes } = await setup();
    const strict = await promote(strong, { threshold: 0.001 });
    expect(strict.promoted).toBe(false);
    expect(strict.gate!.holderVersion).toBeUndefined();
    expect(strict.reason).toMatch(/^No version holds @Champion; version 2 misses the threshold \(rmse [\d.]+ > threshold 0\.001\)\.$/);
    expect(writes()).toEqual([]);
    const run = await env.tracker.getRun(strict.gate!.runId!);
    expect(run.data.tags['mlops.gate.holder_version']).toBe('none');
    expect(Object.keys(run.data.metrics)).toEqual(['candidate_rmse']);

    const loose = await promote(strong, { threshold: 1e6 });
    expect(loose).toMatchObject({ promoted: true });
    expect(loose.reason).toMatch(/^No version holds @Champion; version 2 meets the threshold/);
    expect(env.store.aliases(MODEL)).toEqual({ Champion: strong });

    await env.store.deleteAlias(MODEL, 'Champion');
    const unconditional = await promote(strong);
    expect(unconditional.promoted).toBe(true);
    expect(unconditional.reason).toMatch(/^No version holds @Champion and no threshold is set, so version 2 is promoted without a comparison \(rmse [\d.]+\)\.$/);
  });

  it('minImprovement: a better candidate is refused unless it is better by at least that much', async () => {
    const { env, strong, promote } = await setup('weak');
    const refused = await promote(strong, { minImprovement: 1e6 });
    expect(refused.promoted).toBe(false);
    expect(refused.reason).toMatch(/an improvement of [\d.]+ < minImprovement 1000000\.$/);
    const accepted = await promote(strong, { minImprovement: 1 });
    expect(accepted.promoted).toBe(true);
    expect(env.store.aliases(MODEL)).toEqual({ Champion: strong });
  });

  it('dry run: evaluates and reports (tagged dry run), moves nothing', async () => {
    const { env, weak, strong, promote, writes } = await setup('weak');
    const result = await promote(strong, {}, { dryRun: true });
    expect(result).toMatchObject({ promoted: false, dryRun: true });
    expect(result.reason).toMatch(new RegExp(`^Dry run: version ${strong} beats version ${weak} \\(@Champion\\): rmse .*; nothing changed\\.$`));
    expect(env.store.aliases(MODEL)).toEqual({ Champion: weak });
    expect(writes()).toEqual([]);
    expect((await env.tracker.getRun(result.gate!.runId!)).data.tags).toMatchObject({ 'mlops.gate.dry_run': 'true', 'mlops.gate.decision': 'promote' });
  });

  it('a candidate that already holds the alias needs no evaluation: no model loaded, no run, and the reason says so', async () => {
    const { strong, promote, newRuns } = await setup('strong');
    const result = await promote(strong, { dataPath: path.join(tmp, 'never-read.csv') });
    expect(result).toMatchObject({ promoted: true, reason: `Version ${strong} already holds @Champion; there is nothing to evaluate it against.`, gate: { holderVersion: strong } });
    expect(newRuns()).toEqual([]);
  });

  it('mustBeat: moving Challenger requires beating the Champion', async () => {
    const { env, weak, strong, promote } = await setup('strong');
    const result = await promote(weak, { mustBeat: 'Champion' }, { alias: 'Challenger' });
    expect(result).toMatchObject({ alias: 'Challenger', promoted: false, gate: { mustBeat: 'Champion', holderVersion: strong } });
    expect(env.store.aliases(MODEL)).toEqual({ Champion: strong });
  });

  it('classification: accuracy and binary f1 on a model fitted to 0/1 labels, its scores rounded at 0.5', async () => {
    const env = memoryServices();
    const rows = Array.from({ length: 200 }, (_, i) => {
      const x = (i % 20) - 10;
      return `${x},${(i * 7) % 5},${x > 0 ? 1 : 0}`;
    });
    const data = path.join(tmp, 'labels.csv');
    await writeFile(data, ['x,noise,demand', ...rows].join('\n'));
    const trained = await new TrainingJob(env.services, { KIND: 'TrainingJob', model: 'labels', dataPath: data, epochs: 300, learningRate: 0.1 }).execute();
    const gate = (metric: 'accuracy' | 'f1') => new PromotionJob(env.services, { KIND: 'PromotionJob', model: 'labels', gate: { dataPath: data, target: 'demand', metric, threshold: 0.9 } }).execute();
    const accuracy = await gate('accuracy');
    expect(accuracy).toMatchObject({ version: trained.version, promoted: true });
    expect(accuracy.gate!.candidateScore).toBeGreaterThanOrEqual(0.9);
    await env.store.deleteAlias('labels', 'Champion');
    const f1 = await gate('f1');
    expect(f1.gate!.candidateScore).toBeGreaterThanOrEqual(0.9);
    // a regression target is not a binary label
    await env.store.deleteAlias('labels', 'Champion');
    const error = await rejectionOf(new PromotionJob(env.services, { KIND: 'PromotionJob', model: 'labels', dryRun: true, gate: { dataPath: data, target: 'x', metric: 'f1' } }).execute());
    expect(error.message).toMatch(/labels\.csv:2: column "x" \(job\.gate\.target\) must hold a binary label: 0\/1 or true\/false for f1, got "-10"\.$/);
  });

  it('uses the registry only without a gate, and the tracker and model loader with one', () => {
    expect(portsOf(PromotionJobDefinition, { gate: undefined })).toEqual(['registry']);
    expect(portsOf(PromotionJobDefinition, { gate: { metric: 'rmse' } })).toEqual(['registry', 'tracker', 'models']);
  });
});

describe('PromotionJob gate: bad input fails in one line with a stable code, and writes nothing to the registry', () => {
  it.each([
    ['the holdout file is missing', async () => ({ dataPath: path.join(tmp, 'missing.csv') }), ConfigError, ErrorCodes.CONFIG_INVALID, /^job\.gate\.dataPath: \S+missing\.csv no such file; point job\.gate\.dataPath at a CSV file/],
    [
      'the holdout has no target column',
      async () => ({ target: 'rentals' }),
      ConfigError,
      ErrorCodes.CONFIG_INVALID,
      /^job\.gate\.target: \S+holdout\.csv has no column "rentals" \(it has: hour, temperature, humidity, windspeed, workingday, holiday, rush_hour, demand\); set job\.gate\.target to the column of true values\.$/,
    ],
    [
      'a model cannot score it (a feature column is missing)',
      async () => {
        await writeHoldout(path.join(tmp, 'partial.csv'), { without: 'humidity' });
        return { dataPath: path.join(tmp, 'partial.csv') };
      },
      ValidationError,
      ErrorCodes.MODEL_INPUT_INVALID,
      /^job\.gate\.dataPath \S+partial\.csv: model input column "humidity" is missing \(the model takes: .*\); the file has: .*; add the column to the header\.$/,
    ],
    [
      'a target cell is not a number',
      async () => {
        await writeFile(path.join(tmp, 'bad.csv'), 'hour,temperature,humidity,windspeed,workingday,holiday,rush_hour,demand\n8,18.5,0.55,10,1,0,1,120\n8,18.5,0.55,10,1,0,1,lots\n');
        return { dataPath: path.join(tmp, 'bad.csv') };
      },
      ValidationError,
      ErrorCodes.VALIDATION,
      /^job\.gate\.dataPath \S+bad\.csv:3: column "demand" \(job\.gate\.target\) must hold a number for rmse, got "lots"\.$/,
    ],
    [
      'the holdout has no rows',
      async () => {
        await writeFile(path.join(tmp, 'empty.csv'), 'hour,temperature,humidity,windspeed,workingday,holiday,rush_hour,demand\n');
        return { dataPath: path.join(tmp, 'empty.csv') };
      },
      ValidationError,
      ErrorCodes.VALIDATION,
      /empty\.csv: has a header but no rows; a gate needs rows to score the models on\.$/,
    ],
    ['the metric is unknown', async () => ({ metric: 'mape' as 'rmse' }), ValidationError, ErrorCodes.VALIDATION, /^job\.gate\.metric: Invalid option: expected one of "rmse"\|"mae"\|"r2"\|"accuracy"\|"f1"$/],
  ])('%s', async (_what, gateOf, type, code, message) => {
    const { env, strong, promote, newRuns, writes } = await setup('weak');
    const error = await rejectionOf(promote(strong, await gateOf()));
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(writes()).toEqual([]);
    expect(newRuns()).toEqual([]);
    expect(env.store.aliases(MODEL)).toEqual({ Champion: 1 });
  });
});
