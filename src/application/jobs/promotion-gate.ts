import path from 'node:path';
import type { ILogger } from '../../domain/ports/logger';
import type { LoadedModel } from '../../domain/ports/model-loader';
import { CsvFile } from '../csv/csv-reader';
import type { GateMetric } from '../scoring/gate-metrics';
import { withRun } from '../tracking/with-run';
import { datasetInput, datasetRecord } from '../training/dataset-identity';
import type { z } from 'zod';
import { decideGate } from './gate-decision';
import { assertHasTarget, scoreHoldout } from './gate-scoring';
import type { JobContext } from './job';
import type { PromotionGateSchema } from './schemas/promotion';

/**
 * What a promotion gate found, for the job's result: the metric, the alias the candidate had to beat
 * and the version behind it, both scores, and the evaluation run that records them (absent when
 * nothing was scored: the candidate already held the alias).
 *
 * @example const { candidateScore, holderScore }: GateOutcome = result.gate!;
 */
export interface GateOutcome {
  /** `job.gate.metric`. */
  metric: GateMetric;
  /** The alias whose version the candidate had to beat (`job.gate.mustBeat`, default the alias moved). */
  mustBeat: string;
  /** The version behind `mustBeat`; absent when it pointed nowhere. */
  holderVersion?: number;
  /** The candidate's score on the holdout; absent when nothing was scored. */
  candidateScore?: number;
  /** The holder's score on the same rows; absent without a holder or when nothing was scored. */
  holderScore?: number;
  /** The run that records the evaluation. */
  runId?: string;
}

/**
 * A gate's verdict: whether the candidate may take the alias, why (one sentence), and what was measured.
 *
 * @example const { promote, reason }: GateVerdict = await evaluateGate(services, logger, input);
 */
export interface GateVerdict {
  promote: boolean;
  reason: string;
  outcome: GateOutcome;
}

/**
 * What to evaluate: the model, the alias being moved, the candidate version and the version behind
 * `mustBeat` (if any), and the gate's config.
 *
 * @example const input: GateEvaluation = { model: 'bike-demand', alias: 'Champion', candidate: 3, holder: 2, gate, dryRun: false };
 */
export interface GateEvaluation {
  model: string;
  alias: string;
  candidate: number;
  holder?: number;
  gate: z.output<typeof PromotionGateSchema>;
  dryRun: boolean;
}

/**
 * Runs a promotion gate: opens the holdout (its target column checked from the header), loads the
 * candidate and the holder with the job's model loader, scores both on the holdout in one pass, decides
 * with {@link decideGate}, and records ONE evaluation run (tags `mlops.gate.*`, metrics
 * `candidate_<metric>` and `holder_<metric>`, the holdout as an `evaluation` dataset). Everything that can
 * fail on bad input fails before the run is created; the registry is never written here. A candidate
 * that already holds `mustBeat` needs no evaluation.
 *
 * @example const verdict = await evaluateGate(services, logger, { model: 'bike-demand', alias: 'Champion', candidate: 3, holder: 2, gate, dryRun: false });
 */
export async function evaluateGate(services: JobContext, logger: ILogger, input: GateEvaluation): Promise<GateVerdict> {
  const { model, candidate, holder, gate } = input;
  const mustBeat = gate.mustBeat ?? input.alias;
  const { metric } = gate;
  if (holder === candidate) {
    return { promote: true, reason: `Version ${candidate} already holds @${mustBeat}; there is nothing to evaluate it against.`, outcome: { metric, mustBeat, holderVersion: holder } };
  }
  const csv = await CsvFile.open({ file: path.resolve(gate.dataPath), keyPath: 'job.gate.dataPath' });
  const loaded: LoadedModel[] = [];
  try {
    assertHasTarget(csv, gate.target);
    for (const version of holder === undefined ? [candidate] : [candidate, holder]) loaded.push(await services.models.load(`models:/${model}/${version}`));
    logger.info(`Scoring version ${candidate}${holder === undefined ? '' : ` and version ${holder} (@${mustBeat})`} of "${model}" on ${csv.source.file} by ${metric}`, { model, candidate, holder, metric });
    const { scores, rows, content } = await scoreHoldout(csv, { target: gate.target, metric, models: loaded, signal: services.signal });
    const [candidateScore, holderScore] = scores as [number, number | undefined];
    const decision = decideGate({
      metric,
      mustBeat,
      candidate: { version: candidate, score: candidateScore },
      ...(holder !== undefined && holderScore !== undefined && { holder: { version: holder, score: holderScore } }),
      ...(gate.minImprovement !== undefined && { minImprovement: gate.minImprovement }),
      ...(gate.threshold !== undefined && { threshold: gate.threshold }),
    });
    const runId = await recordEvaluation(services, input, { mustBeat, candidateScore, holderScore, promote: decision.promote, rows, dataset: datasetRecord(content, { source: csv.source.file }) });
    logger.info(decision.reason, { model, candidate, holder, metric, candidateScore, holderScore, promote: decision.promote, runId });
    return {
      ...decision,
      outcome: { metric, mustBeat, ...(holder !== undefined && { holderVersion: holder }), candidateScore, ...(holderScore !== undefined && { holderScore }), runId },
    };
  } finally {
    csv.close();
    await Promise.all(loaded.map((m) => m.release()));
  }
}

/** The one evaluation run: who was compared on what, both scores and the decision, searchable by its tags. */
async function recordEvaluation(
  services: JobContext,
  input: GateEvaluation,
  found: { mustBeat: string; candidateScore: number; holderScore?: number; promote: boolean; rows: number; dataset: ReturnType<typeof datasetRecord> },
): Promise<string> {
  const { model, alias, candidate, holder, gate, dryRun } = input;
  const { metric } = gate;
  const { tracker } = services;
  const tags = {
    'mlops.job': 'PromotionJob',
    'mlops.model': model,
    'mlops.gate.candidate_version': String(candidate),
    'mlops.gate.holder_version': holder === undefined ? 'none' : String(holder),
    'mlops.gate.metric': metric,
    'mlops.gate.decision': found.promote ? 'promote' : 'refuse',
    ...(dryRun && { 'mlops.gate.dry_run': 'true' }),
  };
  return withRun(tracker, { runName: `gate-${model}-v${candidate}`, tags }, async (run) => {
    await tracker.logInputs(run.runId, [datasetInput(found.dataset, 'evaluation')]);
    await tracker.logParams(run.runId, {
      model,
      alias,
      must_beat: found.mustBeat,
      metric,
      target: gate.target,
      rows: found.rows,
      ...(gate.minImprovement !== undefined && { min_improvement: gate.minImprovement }),
      ...(gate.threshold !== undefined && { threshold: gate.threshold }),
    });
    await tracker.logMetrics(run.runId, { [`candidate_${metric}`]: found.candidateScore, ...(found.holderScore !== undefined && { [`holder_${metric}`]: found.holderScore }) });
    return run.runId;
  }, { ...(services.signal && { signal: services.signal }) });
}
