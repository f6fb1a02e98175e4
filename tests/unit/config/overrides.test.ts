import { ErrorCodes } from '../../../src/domain/errors';
import { parseOverride } from '../../../src/infrastructure/config';
import { configErrorOf } from './config-test-helpers';

describe('parseOverride (--set key.path=value)', () => {
  it.each([
    ['job.version=3', ['job', 'version'], 3],
    ['job.dryRun=true', ['job', 'dryRun'], true],
    ["job.alias='3'", ['job', 'alias'], '3'],
    ['job.alias=Challenger', ['job', 'alias'], 'Challenger'],
    ['tracking.uri=http://host:5000/a?b=c', ['tracking', 'uri'], 'http://host:5000/a?b=c'],
    ['tracking.token=', ['tracking', 'token'], null],
    ['job.grid.lr=[0.1, 0.2]', ['job', 'grid', 'lr'], [0.1, 0.2]],
    ['job.base={epochs: 5}', ['job', 'base'], { epochs: 5 }],
    ['tracking.password=@t: x', ['tracking', 'password'], '@t: x'],
    ['a.b=x=y', ['a', 'b'], 'x=y'],
  ])('%s', (argument, path, value) => {
    expect(parseOverride(argument)).toEqual({ path, value });
  });

  it.each([
    ['job.alias', 'missing "="'],
    ['=Champion', 'empty key path'],
    ['job..alias=x', 'empty segment'],
    ['.alias=x', 'empty segment'],
    ['__proto__.x=1', 'not a configuration key'],
  ])('rejects %s with CONFIG_BAD_OVERRIDE, naming the argument and the expected form', (argument, why) => {
    const error = configErrorOf(() => parseOverride(argument));
    expect(error.code).toBe(ErrorCodes.CONFIG_BAD_OVERRIDE);
    expect(error.message).toContain(why);
    expect(error.message).toContain('Expected --set <key.path>=<value>, e.g. --set job.alias=Challenger.');
  });

  it('names the argument without "=" in full', () => {
    expect(configErrorOf(() => parseOverride('job.alias')).message).toMatch(/^--set "job\.alias": missing "="\./);
  });

  it('never echoes the value of a rejected override (it may be a password)', () => {
    const error = configErrorOf(() => parseOverride('tracking..password=hunter2'));
    expect(error.message).not.toContain('hunter2');
  });
});
