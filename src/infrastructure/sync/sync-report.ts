/** Counts of one sync. In a dry run they count what WOULD be sent. */
export interface SyncSummary {
  /** Experiments of the store, found on the target or created. */
  experiments: number;
  experimentsCreated: number;
  runsCreated: number;
  /** Runs an earlier, interrupted sync had started: only what the target lacked was sent. */
  runsResumed: number;
  /** Spill-store mirror runs whose values were appended to the server run they belong to. */
  runsAppended: number;
  /** Runs already fully synced: nothing sent. */
  runsSkipped: number;
  /** Metric values, params and tags sent (a run's own tags; not the sync bookkeeping tags). */
  metrics: number;
  params: number;
  tags: number;
  /** Artifact files uploaded, and their bytes. */
  artifacts: number;
  artifactBytes: number;
  /** Dataset inputs sent (a run's inputs; the target keeps one per name and digest). */
  datasetInputs: number;
  /** Logged models (MLflow 3) logged again on the target. */
  loggedModels: number;
  models: number;
  modelsCreated: number;
  versionsCreated: number;
  /** Versions found on the target already (synced before). */
  versionsExisting: number;
  /** Versions that could not be synced (see the warnings). */
  versionsSkipped: number;
  aliasesSet: number;
  aliasesUnchanged: number;
}

export interface SyncReport {
  dryRun: boolean;
  summary: SyncSummary;
  /** One line per thing sent (or, in a dry run, that would be sent), in order. */
  actions: string[];
  /** Things left out or worth a look; never credentials. */
  warnings: string[];
}

export function emptySummary(): SyncSummary {
  return {
    experiments: 0, experimentsCreated: 0, runsCreated: 0, runsResumed: 0, runsAppended: 0, runsSkipped: 0, metrics: 0, params: 0, tags: 0,
    artifacts: 0, artifactBytes: 0, datasetInputs: 0, loggedModels: 0, models: 0, modelsCreated: 0, versionsCreated: 0, versionsExisting: 0, versionsSkipped: 0,
    aliasesSet: 0, aliasesUnchanged: 0,
  };
}

/**
 * What the replayers write into as they go: counts, action lines and warnings. One instance per sync,
 * shared by the run and model replayers so the report is complete even when the sync fails half-way.
 *
 * @example
 * const recorder = new SyncRecorder(false);
 * recorder.summary.runsCreated++;
 * recorder.action('create run 4f1c… "baseline" in experiment "churn"');
 * recorder.report().summary.runsCreated; // 1
 */
export class SyncRecorder {
  readonly summary = emptySummary();
  private readonly actions: string[] = [];
  private readonly warnings: string[] = [];

  constructor(readonly dryRun: boolean) {}

  action(line: string): void {
    this.actions.push(line);
  }

  warn(line: string): void {
    this.warnings.push(line);
  }

  report(): SyncReport {
    return { dryRun: this.dryRun, summary: { ...this.summary }, actions: [...this.actions], warnings: [...this.warnings] };
  }
}

/**
 * The summary a person reads at the end:
 * ```
 * sync ./mlruns → http://mlflow:5000
 *   experiments  2 (1 created)
 *   runs         3 created, 0 resumed, 1 skipped (already synced)
 *   …
 * ```
 */
export function formatSummary(report: SyncReport, from: string, to: string): string {
  const s = report.summary;
  const verb = report.dryRun ? 'would be ' : '';
  const lines = [
    `${report.dryRun ? 'dry run: nothing was sent. ' : ''}sync ${from} → ${to}`,
    `  experiments  ${s.experiments} (${s.experimentsCreated} ${verb}created)`,
    `  runs         ${s.runsCreated} ${verb}created, ${s.runsResumed} ${verb}resumed, ${s.runsSkipped} skipped (already synced)` +
      (s.runsAppended ? `, ${s.runsAppended} spilled ${s.runsAppended === 1 ? 'run' : 'runs'} ${verb}appended to server runs` : ''),
    `  metrics      ${s.metrics} ${report.dryRun ? 'to send' : 'sent'}`,
    `  params       ${s.params}`,
    `  tags         ${s.tags}`,
    `  artifacts    ${s.artifacts} files (${formatBytes(s.artifactBytes)})`,
    ...(s.datasetInputs || s.loggedModels ? [`  lineage      ${s.datasetInputs} dataset inputs, ${s.loggedModels} logged models ${report.dryRun ? 'to send' : 'sent'}`] : []),
    `  models       ${s.models} (${s.modelsCreated} ${verb}created)`,
    `  versions     ${s.versionsCreated} ${verb}created, ${s.versionsExisting} already there${s.versionsSkipped ? `, ${s.versionsSkipped} not synced` : ''}`,
    `  aliases      ${s.aliasesSet} ${verb}set, ${s.aliasesUnchanged} unchanged`,
  ];
  if (report.warnings.length > 0) lines.push(`warnings (${report.warnings.length}):`, ...report.warnings.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
