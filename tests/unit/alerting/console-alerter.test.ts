import { ConsoleAlerter, formatAlertLine } from '../../../src/infrastructure/alerting';
import { collectingStream } from './collect';

describe('ConsoleAlerter', () => {
  it('prints "[<app>] <title>: <message>", with WARNING/ERROR in front for those levels', async () => {
    const { stream, lines } = collectingStream();
    const alerter = new ConsoleAlerter({ appName: 'churn-bot', stream });
    await alerter.notify('Promotion done', 'churn v7 is now @Champion');
    await alerter.notify('Slow tracker', 'retrying', 'warning');
    await alerter.notify('Training failed', 'loss is NaN', 'error');
    expect(lines()).toEqual([
      '[churn-bot] Promotion done: churn v7 is now @Champion',
      'WARNING [churn-bot] Slow tracker: retrying',
      'ERROR [churn-bot] Training failed: loss is NaN',
    ]);
    expect(formatAlertLine('mlops-kit', 't', 'm')).toBe('[mlops-kit] t: m');
  });

  it('defaults to app name mlops-kit and hides secrets in the line', async () => {
    const { stream, lines } = collectingStream();
    const alerter = new ConsoleAlerter({ stream, secrets: ['tok-12345'] });
    await alerter.notify('Upload failed', 'https://bob:pw@host rejected tok-12345');
    expect(lines()).toEqual(['[mlops-kit] Upload failed: https://bob:***@host rejected ***']);
  });

  it('never throws, even when its stream is closed', async () => {
    const { stream } = collectingStream();
    stream.on('error', () => undefined);
    stream.destroy();
    const alerter = new ConsoleAlerter({ stream });
    await expect(alerter.notify('t', 'm', 'error')).resolves.toBeUndefined();
    expect(alerter.serviceName).toBe('alerter');
  });
});
