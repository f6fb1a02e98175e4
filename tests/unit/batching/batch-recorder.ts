import type { Metric } from '../../../src/domain/model/run';
import { serializeLogBatch } from '../../../src/infrastructure/tracking/mlflow/log-batch-json';
import type { LogBatch } from '../../../src/infrastructure/tracking/shared/log-batch';

export interface SentBatch {
  runId: string;
  batch: LogBatch;
  /** Bytes of the JSON body the REST client sends for it. */
  bytes: number;
}

/**
 * A `send` for LogBatcher that records what it is given, can be held shut (to play a slow server) and
 * tracks how many sends overlap, overall and per run.
 */
export class BatchRecorder {
  readonly sent: SentBatch[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly inFlightByRun = new Map<string, number>();
  maxInFlightPerRun = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  /** Optional per-send delay in ms (e.g. random, to shuffle completions across runs). */
  delay: ((runId: string) => number) | undefined;

  readonly send = async (runId: string, batch: LogBatch): Promise<void> => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const mine = (this.inFlightByRun.get(runId) ?? 0) + 1;
    this.inFlightByRun.set(runId, mine);
    this.maxInFlightPerRun = Math.max(this.maxInFlightPerRun, mine);
    try {
      if (this.gate) await this.gate;
      const ms = this.delay?.(runId) ?? 0;
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      this.sent.push({ runId, batch, bytes: Buffer.byteLength(serializeLogBatch(runId, batch)) });
    } finally {
      this.inFlight--;
      this.inFlightByRun.set(runId, this.inFlightByRun.get(runId)! - 1);
    }
  };

  /** Sends wait until `open()`. */
  hold(): void {
    this.gate ??= new Promise((resolve) => (this.openGate = resolve));
  }

  open(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  forRun(runId: string): SentBatch[] {
    return this.sent.filter((s) => s.runId === runId);
  }

  /** Every metric value sent to a run, in sending order. */
  metricValues(runId: string): number[] {
    return this.forRun(runId).flatMap((s) => s.batch.metrics.map((m) => m.value));
  }
}

export function metric(key: string, value: number, step = 0): Metric {
  return { key, value, timestamp: 1_700_000_000_000 + step, step };
}

/** Resolves after the event loop has turned a few times (lets pending sends settle without timing). */
export async function settleIo(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
