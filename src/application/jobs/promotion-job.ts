import { ConflictError, ErrorCodes, NotFoundError } from '../../domain/errors';
import type { ModelVersion, RegisteredModel } from '../../domain/model/model-version';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { parseJobConfig } from './schemas/parse-job-config';
import { PromotionJobSchema, type PromotionJobConfig } from './schemas/promotion';

/**
 * What a PromotionJob returns: the alias, the version it now points at (in a dry run: would point at)
 * and the one it pointed at before, for an app's audit log or response.
 *
 * @example
 * const { alias, version, previousVersion }: PromotionResult = await runtime.run({ KIND: 'PromotionJob', model: 'churn' });
 * console.log(`${alias}: v${previousVersion ?? '-'} → v${version}`);
 */
export type PromotionResult = {
  model: string;
  version: number;
  alias: string;
  /** The version the alias pointed at before, when it pointed anywhere. */
  previousVersion?: number;
  dryRun: boolean;
};

/**
 * Points a registry alias (default `Champion`) at a model version (default: the highest version
 * number), reads the alias back to confirm, and alerts. The config (alias and model name by MLflow's
 * rules) is checked before any registry call; a dry run reads the registry and changes nothing.
 *
 * @example
 * const { version, previousVersion } = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand', alias: 'Champion' });
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
    const { model, alias, version: requested, dryRun } = this.config;
    // the schema checked model, alias and version (by MLflow's rules) before the registry is touched

    const registered = await this.registeredModel(model);
    const previousVersion = registered.aliases.find((a) => a.alias === alias)?.version;
    const chosen = requested === undefined ? await this.latestVersion(model) : await this.requestedVersion(model, requested);
    const version = chosen.version;
    this.logger.info(`Chose version ${version} of model "${model}" (${requested === undefined ? 'the latest' : 'as requested'})`, {
      model,
      version,
      alias,
      previousVersion,
    });
    const result: PromotionResult = { model, version, alias, ...(previousVersion !== undefined && { previousVersion }), dryRun };

    if (dryRun) {
      const from = previousVersion === undefined ? 'unset' : `version ${previousVersion}`;
      this.logger.info(`Dry run: would move alias "${alias}" of "${model}" from ${from} to version ${version}; nothing changed`, result);
      await this.services.alerter.notify('Promotion Job Finished', `Dry run, nothing changed. Version: ${version} @ ${alias}`);
      return result;
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
    return result;
  }

  private async registeredModel(model: string): Promise<RegisteredModel> {
    try {
      return await this.services.registry.getRegisteredModel(model);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new NotFoundError(
        `Registered model "${model}" does not exist; check job.model, or register a version first (run a TrainingJob with model: ${model}).`,
        ErrorCodes.MODEL_NOT_FOUND,
        { details: { model }, cause: error },
      );
    }
  }

  private async latestVersion(model: string): Promise<ModelVersion> {
    const latest = await this.services.registry.getLatestVersion(model);
    if (!latest) {
      throw new NotFoundError(
        `Registered model "${model}" has no versions to promote; register one first (run a TrainingJob with model: ${model}).`,
        ErrorCodes.MODEL_HAS_NO_VERSIONS,
        { details: { model } },
      );
    }
    return latest;
  }

  private async requestedVersion(model: string, version: number): Promise<ModelVersion> {
    try {
      return await this.services.registry.getModelVersion(model, version);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const latest = await this.services.registry.getLatestVersion(model).catch(() => undefined);
      const hint = latest ? `the latest is ${latest.version}` : 'it has no versions yet';
      throw new NotFoundError(
        `Model "${model}" has no version ${version} (${hint}); set job.version to an existing version or omit it to promote the latest.`,
        ErrorCodes.MODEL_VERSION_NOT_FOUND,
        { details: { model, version }, cause: error },
      );
    }
  }
}

/** PromotionJob's definition: uses the registry only (no tracker is started, no experiment created). */
export const PromotionJobDefinition = defineJob({
  kind: 'PromotionJob',
  description: "Points a registered model's alias (default Champion) at a version (default: the latest).",
  schema: PromotionJobSchema,
  uses: ['registry'],
  create: (context, config) => new PromotionJob(context, config),
});
