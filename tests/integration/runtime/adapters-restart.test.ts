import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IAlerter } from 'mlops-kit';
import { ConsoleAlerter, DesktopAlerter } from 'mlops-kit/alerting';
import { WinstonLogger } from 'mlops-kit/logging';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';

// A runtime that closes and starts again (a backend's health-driven restart, a test suite) stops and
// starts the same adapters: each must work after stop → start. Tracking adapters: runtime-backends.test.ts.
describe('logging and alerting adapters survive stop → start', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-restart-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('WinstonLogger with a file sink writes lines logged after a restart', async () => {
    const file = path.join(dir, 'run.log');
    const logger = new WinstonLogger({ sink: file, format: 'json' });
    const child = logger.child('job');
    await logger.start();
    child.info('before');
    await logger.stop();
    await logger.start();
    child.info('after');
    logger.info('root after');
    await logger.stop();
    const messages = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).message);
    expect(messages).toEqual(['before', 'after', 'root after']);
  });

  it('MemoryLogger keeps logging after a restart', async () => {
    const logger = new MemoryLogger();
    await logger.start();
    await logger.stop();
    await logger.start();
    logger.info('after');
    expect(logger.messages()).toEqual(['after']);
  });

  it.each<[string, () => IAlerter]>([
    ['ConsoleAlerter', () => new ConsoleAlerter({ appName: 't', stream: { write: () => true } } as never)],
    ['DesktopAlerter', () => new DesktopAlerter({ appName: 't' })],
    ['MemoryAlerter', () => new MemoryAlerter()],
  ])('%s notifies after a restart without throwing', async (_name, make) => {
    const alerter = make();
    await alerter.start();
    await alerter.stop();
    await alerter.start();
    await expect(alerter.notify('title', 'message')).resolves.toBeUndefined();
    await alerter.stop();
  });
});
