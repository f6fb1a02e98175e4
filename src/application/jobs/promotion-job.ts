import { ConflictError, ErrorCodes } from '../../domain/errors';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { evaluateGate, type GateOutcome } from './promotion-gate';
import { promotionVersions } from './promotion-versions';
import { parseJobConfig } from './schemas/parse-job-config';
import { PromotionJobSchema, type PromotionJobConfig } from './schemas/promotion';

/**
 * What a PromotionJob returns: the alias, the version it now points at (in a dry run or when the gate
 * refused: the candidate) and the one it pointed at before, whether the alias moved to it (`promoted`:
 * false in a dry run and when a gate refused), the reason in one sentence, and with a gate what it
 * measured — for an app's audit log or response.
 *
 * @example
 * const { alias, version, previousVersion, promoted, reason }: PromotionResult = await runtime.run({ KIND: 'PromotionJob', model: 'churn' });
 * console.log(promoted ? `${alias}: v${previousVersion ?? '-'} → v${version}` : reason);
 */
export type PromotionResult = {
  model: string;
  /** The candidate: the version the alias points at (or would point at, or was refused to). */
  version: number;
  alias: string;
  /** The version the alias pointed at before, when it pointed anywhere. */
  previousVersion?: number;
  dryRun: boolean;
  /** The alias points at `version` because of this job: false in a dry run and when the gate refused. */
  promoted: boolean;
  /** One sentence: why the version was promoted, would be, or was not. */
  reason: string;
  /** With `job.gate`: the metric, both scores and the evaluation run. */
  gate?: GateOutcome;
};

/**
 * Points a registry alias (default `Champion`) at a model version (default: the highest version
 * number), reads the alias back to confirm, and alerts. With `gate`, only a candidate that beats the
 * version behind `gate.mustBeat` (default: the same alias) on a holdout CSV is promoted (see
 * `evaluateGate`); a refusal is a successful job whose result says `promoted: false`, the registry
 * untouched. The config (alias and model name by MLflow's rules) is checked before any registry call; a
 * dry run reads the registry (and evaluates the gate) and changes nothing.
 *
 * @example
 * const { version, previousVersion } = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand', alias: 'Champion' });
 * const gated = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand', gate: { dataPath: 'holdout.csv', target: 'demand', metric: 'rmse' } });
 */
export class PromotionJob extends Job<PromotionResult> {
  static readonly KIND = 'PromotionJob';
  readonly kind = PromotionJob.KIND;
  private parsed: z.output<typeof PromotionJobSchema> | undefined;

  constructor(
    context: JobContext,
    private readonly input: PromotionJobConfig,
  ) {
    super(context);
  }

  /** The config with defaults, parsed on first use in run(): a job built in code gets the same checks as one from a file. */
  private get config(): z.output<typeof PromotionJobSchema> {
    this.parsed ??= parseJobConfig(PromotionJobSchema, this.input);
    return this.parsed;
  }

  protected async run(): Promise<PromotionResult> {
    const { model, alias, version: requested, dryRun, gate } = this.config;
    // the schema checked model, alias and version (by MLflow's rules) before the registry is touched
    const { registered, chosen } = await promotionVersions(this.services.registry, model, requested);
    const holderOf = (name: string) => registered.aliases.find((a) => a.alias === name)?.version;
    const previousVersion = holderOf(alias);
    const version = chosen.version;
    this.logger.info(`Chose version ${version} of model "${model}" (${requested === undefined ? 'the latest' : 'as requested'})`, { model, version, alias, previousVersion });
    const base = { model, version, alias, ...(previousVersion !== undefined && { previousVersion }), dryRun };

    const verdict = gate
      ? await evaluateGate(this.services, this.logger, { model, alias, candidate: version, holder: holderOf(gate.mustBeat ?? alias), gate, dryRun })
      : { promote: true, reason: previousVersion === version ? `Version ${version} already holds @${alias}.` : `No gate: version ${version} takes @${alias}.` };
    const gateResult = 'outcome' in verdict ? { gate: verdict.outcome } : {};

    if (!verdict.promote) {
      this.logger.info(`Not promoted: ${verdict.reason} Alias "${alias}" of "${model}" is unchanged`, { ...base, reason: verdict.reason });
      await this.services.alerter.notify('Promotion Job Finished', `Not promoted: ${verdict.reason}`);
      return { ...base, promoted: false, reason: verdict.reason, ...gateResult };
    }
    if (dryRun) {
      const from = previousVersion === undefined ? 'unset' : `version ${previousVersion}`;
      this.logger.info(`Dry run: would move alias "${alias}" of "${model}" from ${from} to version ${version}; nothing changed`, base);
      await this.services.alerter.notify('Promotion Job Finished', `Dry run, nothing changed. Version: ${version} @ ${alias}`);
      const would = gate ? verdict.reason[0]!.toLowerCase() + verdict.reason.slice(1).replace(/\.$/, '') : `version ${version} would take @${alias} (no gate)`;
      return { ...base, promoted: false, reason: `Dry run: ${would}; nothing changed.`, ...gateResult };
    }

    await this.services.registry.setAlias(model, alias, version);
    const confirmed = await this.services.registry.getVersionByAlias(model, alias);
    if (confirmed.version !== version) {
      throw new ConflictError(
        `Alias "${alias}" of "${model}" points at version ${confirmed.version} right after it was set to ${version}; another process may be promoting the same model. Re-run the job.`,
        ErrorCodes.CONFLICT,
        { details: { model, alias, expected: version, actual: confirmed.version } },
      );
    }
    this.logger.info(`Confirmed: ${model}@${alias} is version ${confirmed.version}`, { model, version: confirmed.version, alias, previousVersion });
    await this.services.alerter.notify('Promotion Job Finished', `Version: ${version} @ ${alias}`);
    return { ...base, promoted: true, reason: verdict.reason, ...gateResult };
  }
}

/** PromotionJob's definition: the registry only (no tracker is started, no experiment created); with a gate also the model loader and the tracker for the evaluation run. */
export const PromotionJobDefinition = defineJob({
  kind: 'PromotionJob',
  description: "Points a model's alias (default Champion) at a version (default: the latest); a gate can require it to beat the holder.",
  schema: PromotionJobSchema,
  uses: (config) => (config.gate ? ['registry', 'tracker', 'models'] : ['registry']),
  create: (context, config) => new PromotionJob(context, config),
});
