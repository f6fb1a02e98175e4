import { ConflictError, ErrorCodes, NotFoundError } from '../../../src/domain/errors';
import { Branch, describeException } from '../../../src/application/experiments/branch';
import { BranchTimeoutError } from '../../../src/application/experiments/branch-errors';
import { BranchResults } from '../../../src/application/experiments/branch-results';
import { configIdOf } from '../../../src/application/experiments/config-id';

describe('Branch', () => {
  it('moves pending → running → success with timing and output', () => {
    const branch = new Branch({ l2: 0.1 }, 3);
    expect(branch.status).toBe('pending');
    expect(branch.configId).toBe(configIdOf({ l2: 0.1 }));
    expect(branch.name).toBe(`branch-${branch.configId}`);
    branch.start(1000);
    expect(branch.status).toBe('running');
    branch.recordRetry();
    branch.succeed({ rmse: 1.5 }, 1250);
    expect(branch.toJSON()).toMatchObject({
      status: 'success',
      startTs: 1000,
      endTs: 1250,
      durationMs: 250,
      retryCount: 1,
      output: { rmse: 1.5 },
    });
  });

  it('can be finalized only once: a second finalize throws ConflictError and changes nothing', () => {
    const branch = new Branch({ a: 1 });
    branch.start(1);
    branch.fail(new Error('boom'), 2);
    expect(() => branch.succeed('late', 3)).toThrow(ConflictError);
    expect(() => branch.skip(3)).toThrow(/already finalized as failed; cannot mark it skipped/);
    expect(() => branch.fail(new Error('again'), 3)).toThrow(ConflictError);
    expect(branch.status).toBe('failed');
    expect(branch.endTs).toBe(2);
    expect(branch.exception?.message).toBe('boom');
    expect(branch.output).toBeUndefined();
  });

  it('refuses to succeed before it started, and to start twice', () => {
    const branch = new Branch({ a: 1 });
    expect(() => branch.succeed(1, 1)).toThrow(/cannot mark a pending branch success/);
    branch.start(1);
    expect(() => branch.start(2)).toThrow(/cannot start a branch that is running/);
  });

  it('a skipped branch has an end but no start or duration', () => {
    const branch = new Branch({ a: 1 });
    branch.skip(5);
    expect(branch.status).toBe('skipped');
    expect(branch.endTs).toBe(5);
    expect(branch.durationMs).toBeUndefined();
  });
});

describe('describeException', () => {
  it('keeps type, message, stack, and the code of mlops-kit errors', () => {
    const e = describeException(new NotFoundError('gone', ErrorCodes.RUN_NOT_FOUND));
    expect(e).toMatchObject({ type: 'NotFoundError', message: 'gone', code: 'RUN_NOT_FOUND' });
    expect(e.stack).toContain('gone');
    expect(describeException(new BranchTimeoutError('abc', 50))).toMatchObject({ type: 'TimeoutError', code: 'BRANCH_TIMEOUT' });
    expect(describeException(new TypeError('bad'))).toMatchObject({ type: 'TypeError', message: 'bad' });
  });

  it('describes thrown non-errors', () => {
    expect(describeException('text')).toEqual({ type: 'NonError', message: 'text' });
    expect(describeException({ x: 1 })).toEqual({ type: 'NonError', message: '{"x":1}' });
  });
});

describe('BranchResults', () => {
  it('filters by status and finds by configId', () => {
    const ok = new Branch({ i: 1 });
    ok.start(0);
    ok.succeed('y', 1);
    const bad = new Branch({ i: 2 });
    bad.start(0);
    bad.fail(new Error('x'), 1);
    const skipped = new Branch({ i: 3 });
    skipped.skip(1);
    const results = new BranchResults([ok, bad, skipped]);
    expect(results.successful()).toEqual([ok]);
    expect(results.failed()).toEqual([bad]);
    expect(results.skipped()).toEqual([skipped]);
    expect(results.byConfigId(bad.configId)).toBe(bad);
    expect(results.byConfigId('000000000000')).toBeUndefined();
    expect(results.counts()).toEqual({ total: 3, pending: 0, running: 0, success: 1, failed: 1, skipped: 1 });
    expect(results.all).toHaveLength(3);
  });
});
