import { MemoryAlerter } from '../../../src/infrastructure/alerting';

describe('MemoryAlerter', () => {
  it('records title, message and level (info by default), before start and after stop too', async () => {
    const alerter = new MemoryAlerter();
    await alerter.notify('before', 'start');
    await alerter.start();
    await alerter.notify('Training failed', 'loss is NaN', 'error');
    await alerter.stop();
    await alerter.notify('after', 'stop', 'warning');
    expect(alerter.alerts).toEqual([
      { title: 'before', message: 'start', level: 'info' },
      { title: 'Training failed', message: 'loss is NaN', level: 'error' },
      { title: 'after', message: 'stop', level: 'warning' },
    ]);
    alerter.clear();
    expect(alerter.alerts).toEqual([]);
    expect(alerter.serviceName).toBe('alerter');
  });
});
