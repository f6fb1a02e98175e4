/** Where a sync stands: runs handled out of all, metric values sent so far. */
export interface SyncProgressState {
  runsDone: number;
  runsTotal: number;
  metrics: number;
}

/** Receives progress from the replayer; `update` may be called once per metric, so it must be cheap. */
export interface SyncProgress {
  update(state: SyncProgressState): void;
  /** Draws the final state and gives the line back to the terminal. */
  end(state: SyncProgressState): void;
}

/** The minimum of a terminal stream this needs (process.stderr fits). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Shows nothing: for pipes, files and CI logs, where a redrawn line would be noise. */
export const silentProgress: SyncProgress = { update: () => undefined, end: () => undefined };

/** Redraws at most this often (ms): a terminal cannot show more, and writing per metric would slow the sync. */
const REDRAW_EVERY_MS = 100;

/**
 * One self-redrawing line on a terminal: `sync: runs 3/10 · metrics 12,345`. Redrawn when a run
 * finishes, else at most every 100 ms; `end()` draws the final numbers and ends the line.
 *
 * @example
 * const progress = progressFor(process.stderr);   // TtyProgress on a terminal, silent otherwise
 * progress.update({ runsDone: 1, runsTotal: 4, metrics: 250 });
 * progress.end({ runsDone: 4, runsTotal: 4, metrics: 1000 });
 */
export class TtyProgress implements SyncProgress {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastRunsDone = -1;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = Date.now,
  ) {}

  update(state: SyncProgressState): void {
    const now = this.clock();
    if (state.runsDone === this.lastRunsDone && now - this.lastDraw < REDRAW_EVERY_MS) return;
    this.draw(state);
    this.lastDraw = now;
    this.lastRunsDone = state.runsDone;
  }

  end(state: SyncProgressState): void {
    this.draw(state);
    this.stream.write('\n');
  }

  private draw(state: SyncProgressState): void {
    // \r goes back to the start of the line, ESC[K clears what a longer previous line left
    this.stream.write(`\r\x1b[Ksync: runs ${state.runsDone}/${state.runsTotal} · metrics ${state.metrics.toLocaleString('en-US')}`);
  }
}

/** A TtyProgress on a terminal, silentProgress otherwise. */
export function progressFor(stream: ProgressStream): SyncProgress {
  return stream.isTTY ? new TtyProgress(stream) : silentProgress;
}
