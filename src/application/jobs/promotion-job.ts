import { ConflictError, ErrorCodes, NotFoundError, ValidationError } from '../../domain/errors';
import type { ModelVersion, RegisteredModel } from '../../domain/model/model-version';
import { assertValidAlias, assertValidModelName } from '../../domain/model/naming-rules';
import { Job, type JobServices } from './job';
import { JOB_DEFAULTS, type PromotionJobConfig, type WithDefaults, withDefaults } from './job-configs';

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
 * number), reads the alias back to confirm, and alerts. The alias and model name are checked before any
 * registry call; a dry run reads the registry and changes nothing.
 *
 * @example
 * const job = new PromotionJob(services, { KIND: 'PromotionJob', model: 'bike-demand', alias: 'Champion' });
 * const { version, previousVersion } = await job.execute();
 */
export class PromotionJob extends Job<PromotionResult> {
  static readonly KIND = 'PromotionJob';
  readonly kind = PromotionJob.KIND;
  private readonly config: WithDefaults<PromotionJobConfig, typeof JOB_DEFAULTS.PromotionJob>;

  constructor(services: JobServices, config: PromotionJobConfig) {
    super(services);
    this.config = withDefaults(config, JOB_DEFAULTS.PromotionJob);
  }

  protected async run(): Promise<PromotionResult> {
    const { model, alias, version: requested, dryRun } = this.config;
    // checked before the registry is touched, so a typo costs no remote call and changes nothing
    assertValidModelName(model);
    assertValidAlias(alias);
    if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
      throw new ValidationError(`job.version must be a whole number >= 1, got ${requested}; omit it to promote the latest version.`, undefined, {
        details: { keyPath: 'job.version', version: requested },
      });
    }

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
