import { decideGate, type GateInput } from '../../../src/application/jobs/gate-decision';

const rmse = (candidate: number, holder?: number, rule: Partial<GateInput> = {}): GateInput => ({
  metric: 'rmse',
  mustBeat: 'Champion',
  candidate: { version: 3, score: candidate },
  ...(holder !== undefined && { holder: { version: 2, score: holder } }),
  ...rule,
});

describe('decideGate', () => {
  it('promotes a candidate better than the holder, lower for error metrics and higher for scores', () => {
    expect(decideGate(rmse(10, 12))).toEqual({ promote: true, reason: 'Version 3 beats version 2 (@Champion): rmse 10 vs 12.' });
    expect(decideGate(rmse(12, 10))).toEqual({ promote: false, reason: 'Version 3 does not beat version 2 (@Champion): rmse 12 vs 10.' });
    expect(decideGate({ ...rmse(0.9, 0.8), metric: 'accuracy' }).promote).toBe(true);
    expect(decideGate({ ...rmse(0.8, 0.9), metric: 'r2' }).promote).toBe(false);
  });

  it('a tie is not a win, float noise included', () => {
    expect(decideGate(rmse(10, 10)).promote).toBe(false);
    expect(decideGate(rmse(0.30000000000000004, 0.3)).promote).toBe(false);
    expect(decideGate(rmse(0.3, 0.30000000000000004)).promote).toBe(false);
  });

  it('with minImprovement the candidate must be better by at least that much (0.9 − 0.8 counts as 0.1)', () => {
    expect(decideGate({ ...rmse(0.9, 0.8, { minImprovement: 0.1 }), metric: 'accuracy' })).toEqual({
      promote: true,
      reason: 'Version 3 beats version 2 (@Champion): accuracy 0.9 vs 0.8, an improvement of 0.1 ≥ minImprovement 0.1.',
    });
    expect(decideGate(rmse(11.5, 12, { minImprovement: 1 }))).toEqual({
      promote: false,
      reason: 'Version 3 does not beat version 2 (@Champion): rmse 11.5 vs 12, an improvement of 0.5 < minImprovement 1.',
    });
  });

  it('with a threshold the candidate must also meet it (≤ for errors, ≥ for scores; equal meets)', () => {
    expect(decideGate(rmse(10, 12, { threshold: 9 }))).toEqual({ promote: false, reason: 'Version 3 beats version 2 (@Champion) (rmse 10 vs 12) but misses the threshold (rmse 10 > threshold 9).' });
    expect(decideGate(rmse(10, 12, { threshold: 10 }))).toEqual({ promote: true, reason: 'Version 3 beats version 2 (@Champion): rmse 10 vs 12, and meets the threshold (rmse 10 ≤ threshold 10).' });
    expect(decideGate({ ...rmse(0.7, 0.6, { threshold: 0.75 }), metric: 'f1' }).promote).toBe(false);
  });

  it('without a holder the threshold alone decides, and without a threshold the candidate is promoted, as the reason says', () => {
    expect(decideGate(rmse(10, undefined, { threshold: 11 }))).toEqual({ promote: true, reason: 'No version holds @Champion; version 3 meets the threshold (rmse 10 ≤ threshold 11).' });
    expect(decideGate(rmse(12, undefined, { threshold: 11 }))).toEqual({ promote: false, reason: 'No version holds @Champion; version 3 misses the threshold (rmse 12 > threshold 11).' });
    expect(decideGate(rmse(12))).toEqual({ promote: true, reason: 'No version holds @Champion and no threshold is set, so version 3 is promoted without a comparison (rmse 12).' });
  });
});
