/**
 * Counts what went to the spill store instead of the server, and words the one warning a job prints
 * at stop: how much, where, and the command that sends it.
 *
 * @example const ledger = new SpillLedger('./mlruns-spill', 'http://mlflow:5000'); ledger.metrics += 3; logger.warn(ledger.summary());
 */
export class SpillLedger {
  runs = new Set<string>();
  /** Logged models (`m-…`) that live in the spill store: a version of one must be registered there too. */
  loggedModels = new Set<string>();
  metrics = 0;
  params = 0;
  tags = 0;
  artifacts = 0;
  registryWrites = 0;
  firstReason: string | undefined;

  constructor(
    readonly spillDir: string,
    readonly targetUri: string,
  ) {}

  get isEmpty(): boolean {
    return this.runs.size === 0 && this.registryWrites === 0;
  }

  /** Forgets the counts (after the warning was printed at stop), so a restarted service counts afresh. */
  reset(): void {
    this.runs = new Set();
    this.loggedModels = new Set();
    this.metrics = this.params = this.tags = this.artifacts = this.registryWrites = 0;
    this.firstReason = undefined;
  }

  note(reason: unknown): void {
    this.firstReason ??= reason instanceof Error ? reason.message : String(reason);
  }

  summary(): string {
    const parts = [
      `${this.runs.size} run(s)`,
      `${this.metrics} metric value(s)`,
      `${this.params} param(s)`,
      `${this.tags} tag(s)`,
      ...(this.artifacts ? [`${this.artifacts} artifact upload(s)`] : []),
      ...(this.registryWrites ? [`${this.registryWrites} registry write(s)`] : []),
    ];
    return (
      `MLflow server ${this.targetUri} was unavailable${this.firstReason ? ` (${this.firstReason})` : ''}: ` +
      `spilled ${parts.join(', ')} to ${this.spillDir}. Nothing was lost; send them with: ` +
      `mlops-kit sync ${this.spillDir} --to ${this.targetUri}`
    );
  }
}

/** Tag on a spill-store run that holds values of a run that exists on the server: sync appends to it. */
export const SPILL_REMOTE_RUN_TAG = 'mlops-kit.spill.remote_run_id';
