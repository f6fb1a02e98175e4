import { type GateMetric, lowerIsBetter } from '../scoring/gate-metrics';

/**
 * What a gate decides on: the metric, the rule's numbers, the two versions and their scores (no holder
 * when the alias the candidate must beat points nowhere yet).
 *
 * @example const input: GateInput = { metric: 'rmse', candidate: { version: 3, score: 10.2 }, holder: { version: 2, score: 12.5 }, mustBeat: 'Champion' };
 */
export interface GateInput {
  metric: GateMetric;
  mustBeat: string;
  candidate: { version: number; score: number };
  holder?: { version: number; score: number };
  minImprovement?: number;
  threshold?: number;
}

/**
 * A gate's verdict and the one sentence that explains it.
 *
 * @example const { promote, reason }: GateDecision = decideGate(input);
 */
export interface GateDecision {
  promote: boolean;
  reason: string;
}

/**
 * The promotion rule. With a holder, the candidate must be better by more than nothing, or by at least
 * `minImprovement` when set (an improvement is holder − candidate for rmse/mae, candidate − holder for
 * r2/accuracy/f1; a tie is not a win; differences within 1e-12 of the scores' size are float noise), and when `threshold` is set also at least that good (≤ for the
 * error metrics, ≥ for the scores). Without a holder the threshold alone decides, and without a
 * threshold either the candidate is promoted, as the reason says.
 *
 * @example decideGate({ metric: 'rmse', mustBeat: 'Champion', candidate: { version: 3, score: 10 }, holder: { version: 2, score: 12 } }).promote; // true
 */
export function decideGate(input: GateInput): GateDecision {
  const { metric, candidate, holder, threshold, minImprovement, mustBeat } = input;
  const lower = lowerIsBetter(metric);
  const meetsThreshold = threshold === undefined || (lower ? atLeast(threshold, candidate.score) : atLeast(candidate.score, threshold));
  const thresholdText = threshold === undefined ? '' : `${metric} ${num(candidate.score)} ${meetsThreshold ? (lower ? '≤' : '≥') : lower ? '>' : '<'} threshold ${num(threshold)}`;
  const v = `version ${candidate.version}`;
  if (holder === undefined) {
    if (threshold === undefined) {
      return { promote: true, reason: `No version holds @${mustBeat} and no threshold is set, so ${v} is promoted without a comparison (${metric} ${num(candidate.score)}).` };
    }
    return meetsThreshold
      ? { promote: true, reason: `No version holds @${mustBeat}; ${v} meets the threshold (${thresholdText}).` }
      : { promote: false, reason: `No version holds @${mustBeat}; ${v} misses the threshold (${thresholdText}).` };
  }
  const improvement = lower ? holder.score - candidate.score : candidate.score - holder.score;
  const better = lower ? !atLeast(candidate.score, holder.score) : !atLeast(holder.score, candidate.score);
  const beats = minImprovement === undefined ? better : atLeast(improvement, minImprovement);
  const versus = `${metric} ${num(candidate.score)} vs ${num(holder.score)}`;
  const by = minImprovement === undefined ? '' : `, an improvement of ${num(improvement)} ${beats ? '≥' : '<'} minImprovement ${num(minImprovement)}`;
  const holderText = `version ${holder.version} (@${mustBeat})`;
  if (!beats) return { promote: false, reason: `${cap(v)} does not beat ${holderText}: ${versus}${by}.` };
  if (!meetsThreshold) return { promote: false, reason: `${cap(v)} beats ${holderText} (${versus}${by}) but misses the threshold (${thresholdText}).` };
  return { promote: true, reason: `${cap(v)} beats ${holderText}: ${versus}${by}${threshold === undefined ? '' : `, and meets the threshold (${thresholdText})`}.` };
}

/**
 * a ≥ b, where a difference within 1e-12 of their size is float noise, not a difference: 0.9 − 0.8 is an
 * improvement of 0.1 (not 0.09999999999999998), and a score equal to the threshold meets it.
 */
function atLeast(a: number, b: number): boolean {
  return a >= b - 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** A score for a sentence: six significant digits, no trailing zeros. */
function num(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function cap(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
