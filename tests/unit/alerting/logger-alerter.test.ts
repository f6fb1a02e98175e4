import { LoggerAlerter } from '../../../src/infrastructure/alerting';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import type { ILogger } from '../../../src/domain/ports/logger';

describe('LoggerAlerter: alerts as lines of the app log', () => {
  it('logs each alert at the matching level with its title and app as fields', async () => {
    const logger = new MemoryLogger();
    const alerter = new LoggerAlerter(logger, { appName: 'churn-bot' });
    await alerter.notify('Promotion done', 'v7 is @Champion');
    await alerter.notify('Slow tracker', 'retrying', 'warning');
    await alerter.notify('Training failed', 'loss is NaN', 'error');
    expect(logger.messages('info')).toEqual(['Promotion done: v7 is @Champion']);
    expect(logger.messages('warn')).toEqual(['Slow tracker: retrying']);
    expect(logger.messages('error')).toEqual(['Training failed: loss is NaN']);
    expect(logger.entries[0]?.fields).toMatchObject({ alert: true, title: 'Promotion done', app: 'churn-bot' });
  });

  it('never throws, even when the logger does', async () => {
    const broken = { info: () => { throw new Error('sink closed'); } } as unknown as ILogger;
    await expect(new LoggerAlerter(broken).notify('t', 'm')).resolves.toBeUndefined();
  });
});
