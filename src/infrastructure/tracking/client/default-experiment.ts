/**
 * The experiment a run goes to when its RunConfig names none: looked up (created if missing) once, the
 * lookup shared by concurrent callers (start() and an early createRun), a failed lookup tried again next
 * time, and forgotten when the client stops (a restarted client may reach another backend).
 *
 * @example const experiment = new DefaultExperiment(() => client.getOrCreateExperiment('churn')); await experiment.resolve();
 */
export class DefaultExperiment {
  private lookup: Promise<string> | undefined;
  /** The id once resolved; kept after `forget()` until the next lookup answers. */
  id: string | undefined;

  constructor(private readonly find: () => Promise<string>) {}

  resolve(): Promise<string> {
    this.lookup ??= this.find().then(
      (id) => (this.id = id),
      (error: unknown) => {
        this.lookup = undefined;
        throw error;
      },
    );
    return this.lookup;
  }

  forget(): void {
    this.lookup = undefined;
  }
}
