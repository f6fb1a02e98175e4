import { NotFoundError } from '../../domain/errors';
import { loggedModelIdOf } from '../../domain/model/naming-rules';
import type { ModelVersion, RegisteredModel } from '../../domain/model/model-version';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { StoredModel, StoredRun, StoredVersion } from './store-types';
import type { SyncRecorder } from './sync-report';
import { quoteFilterValue, tryQuote } from './sync-tags';
import { planVersionSource, type TargetRun } from './version-source';

/** Page size for version searches (MLflow's server accepts far more; this keeps answers small). */
const SEARCH_PAGE = 200;

/**
 * Replays registered models, their versions and aliases, after the runs (so each version's files are
 * already uploaded with its run and its source can point at them; see version-source.ts).
 *
 * Idempotent: a model is created only when the target lacks it; a version is created only when no
 * target version of that model has the same run id and the same (rewritten) source, found with
 * `model-versions/search` on `name='m' AND run_id='…'` (or `source_path` for a version without run).
 * Each target version matches one store version at most, so a source registered twice stays twice.
 * An alias is set only when the target's alias points elsewhere (or nowhere); moving one is reported.
 *
 * @example
 * await new ModelReplayer(registry, recorder).replay(index.models, runsById, targetsByOriginRunId);
 */
export class ModelReplayer {
  constructor(
    private readonly registry: IModelRegistry,
    private readonly recorder: SyncRecorder,
  ) {}

  async replay(models: StoredModel[], runs: ReadonlyMap<string, StoredRun>, targets: ReadonlyMap<string, TargetRun>): Promise<void> {
    for (const model of models) await this.replayModel(model, runs, targets);
  }

  private async replayModel(model: StoredModel, runs: ReadonlyMap<string, StoredRun>, targets: ReadonlyMap<string, TargetRun>): Promise<void> {
    const { summary, dryRun } = this.recorder;
    const existing = await this.findModel(model.name);
    summary.models++;
    if (!existing) {
      summary.modelsCreated++;
      this.recorder.action(`create registered model "${model.name}"`);
      if (!dryRun) await this.registry.createRegisteredModel(model.name, { description: model.description, tags: model.tags });
    }
    /** store version → target version; undefined for one a dry run would create */
    const versions = new Map<number, number | undefined>();
    const claimed = new Set<number>();
    for (const version of model.versions) {
      const plan = planVersionSource(version, runs, targets);
      if ('problem' in plan) {
        summary.versionsSkipped++;
        this.recorder.warn(`model "${model.name}" version ${version.version} (${version.file}) not synced: ${plan.problem}`);
        continue;
      }
      // nothing to look for on a model or run the sync has only planned to create
      const match = existing && !plan.newRun ? await this.findVersion(model.name, plan.source, plan.runId, claimed) : undefined;
      if (match) {
        claimed.add(match.version);
        versions.set(version.version, match.version);
        summary.versionsExisting++;
        continue;
      }
      summary.versionsCreated++;
      this.recorder.action(`create version of "${model.name}" (store version ${version.version}) from ${plan.source}`);
      if (dryRun) {
        versions.set(version.version, undefined);
        continue;
      }
      const created = await this.createVersion(model.name, version, plan.source, plan.runId);
      claimed.add(created.version);
      versions.set(version.version, created.version);
    }
    await this.replayAliases(model, existing, versions);
  }

  private async replayAliases(model: StoredModel, existing: RegisteredModel | undefined, versions: Map<number, number | undefined>): Promise<void> {
    const { summary, dryRun } = this.recorder;
    const current = new Map((existing?.aliases ?? []).map((a) => [a.alias, a.version]));
    for (const [alias, storeVersion] of Object.entries(model.aliases)) {
      if (!versions.has(storeVersion)) {
        this.recorder.warn(`alias "${alias}" of model "${model.name}" not set: its version ${storeVersion} was not synced`);
        continue;
      }
      const target = versions.get(storeVersion);
      const now = current.get(alias);
      if (target !== undefined && now === target) {
        summary.aliasesUnchanged++;
        continue;
      }
      if (now !== undefined) this.recorder.warn(`alias "${alias}" of model "${model.name}" moves from version ${now} to ${target ?? 'a new version'} on the target`);
      summary.aliasesSet++;
      this.recorder.action(`set alias "${alias}" of "${model.name}" → ${target === undefined ? `the new version (store version ${storeVersion})` : `version ${target}`}`);
      if (!dryRun && target !== undefined) await this.registry.setAlias(model.name, alias, target);
    }
  }

  private async findModel(name: string): Promise<RegisteredModel | undefined> {
    try {
      return await this.registry.getRegisteredModel(name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** A target version of `name` with this run id and source that no other store version claimed yet. */
  private async findVersion(name: string, source: string, runId: string | undefined, claimed: Set<number>): Promise<ModelVersion | undefined> {
    const quotedSource = tryQuote(source);
    const narrow = runId !== undefined ? ` AND run_id=${quoteFilterValue(runId)}` : quotedSource ? ` AND source_path=${quotedSource}` : '';
    const filter = `name=${quoteFilterValue(name)}${narrow}`;
    let pageToken: string | undefined;
    do {
      const page = await this.registry.searchModelVersions({ filter, orderBy: ['version_number ASC'], maxResults: SEARCH_PAGE, pageToken });
      const hit = page.items.find((v) => !claimed.has(v.version) && v.source === source && (v.runId || undefined) === runId);
      if (hit) return hit;
      pageToken = page.nextPageToken;
    } while (pageToken);
    return undefined;
  }

  private createVersion(name: string, version: StoredVersion, source: string, runId: string | undefined): Promise<ModelVersion> {
    const modelId = loggedModelIdOf(source);
    return this.registry.createModelVersion({
      name,
      source,
      runId,
      // a version of a logged model names it, as MLflow 3's client does
      ...(modelId !== undefined && { modelId }),
      description: version.description,
      tags: Object.keys(version.tags).length > 0 ? version.tags : undefined,
    });
  }
}
