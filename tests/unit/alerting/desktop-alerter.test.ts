import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DesktopAlerter, type Notifier } from '../../../src/infrastructure/alerting';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { collectingStream } from './collect';

/** A stand-in notifier that answers the way node-notifier does (callback first argument: Error or string). */
function scriptedNotifier(answer: (callback: (error: unknown, response?: unknown) => void) => void) {
  const calls: { title: string; message: string }[] = [];
  const notifier: Notifier = {
    notify(options, callback) {
      calls.push({ title: options.title, message: options.message });
      answer(callback);
    },
  };
  return { notifier, calls };
}

const REASON_LINE = /^\[churn-bot\] desktop notifications unavailable \((.+)\); alerts go to the console$/;

describe('DesktopAlerter with the real node-notifier on a machine without a desktop', () => {
  // node-notifier finds notify-send through PATH; an empty PATH makes this machine headless even where a
  // desktop is installed, so the test checks the same failure everywhere. (macOS/Windows use bundled helpers.)
  const linuxOnly = process.platform === 'linux' ? it : it.skip;
  let emptyDir: string;
  let savedPath: string | undefined;
  beforeEach(async () => {
    emptyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-kit-nopath-'));
    savedPath = process.env.PATH;
    process.env.PATH = emptyDir;
  });
  afterEach(async () => {
    process.env.PATH = savedPath;
    await fs.rm(emptyDir, { recursive: true, force: true });
  });

  linuxOnly('falls back to the console and says why only once over two alerts', async () => {
    const { stream, lines } = collectingStream();
    const alerter = new DesktopAlerter({ appName: 'churn-bot', stream });
    await alerter.start();
    await expect(alerter.notify('Promotion done', 'churn v7 is now @Champion')).resolves.toBeUndefined();
    await alerter.notify('Training failed', 'loss is NaN', 'error');
    await alerter.stop();

    const out = lines();
    expect(out).toEqual([
      '[churn-bot] desktop notifications unavailable (notify-send not found); alerts go to the console',
      '[churn-bot] Promotion done: churn v7 is now @Champion',
      'ERROR [churn-bot] Training failed: loss is NaN',
    ]);
    expect(out.filter((l) => REASON_LINE.test(l))).toHaveLength(1);
  });
});

describe('DesktopAlerter with an injected notifier', () => {
  it('shows the (redacted) notification and prints nothing when the notifier succeeds', async () => {
    // No notification daemon can run on this headless machine, so the success case is faked: the
    // notifier answers like node-notifier does on success (an empty string, not null).
    const { notifier, calls } = scriptedNotifier((callback) => callback('', 'closed'));
    const { stream, lines } = collectingStream();
    const alerter = new DesktopAlerter({ appName: 'churn-bot', notifier, stream, secrets: ['tok-98765'] });
    await alerter.notify('Promotion done', 'churn v7 is now @Champion');
    await alerter.notify('Second', 'token tok-98765 expired');
    expect(calls).toEqual([
      { title: '[churn-bot] Promotion done', message: 'churn v7 is now @Champion' },
      { title: '[churn-bot] Second', message: 'token *** expired' },
    ]);
    expect(lines()).toEqual([]);
  });

  it('names a missing D-Bus session as the reason', async () => {
    const { notifier } = scriptedNotifier((callback) =>
      callback(new Error('Command failed: notify-send "t" "m"\nCould not connect: Failed to connect to bus: No such file or directory')),
    );
    const { stream, lines } = collectingStream();
    await new DesktopAlerter({ appName: 'churn-bot', notifier, stream }).notify('t', 'm', 'warning');
    expect(lines()).toEqual([
      '[churn-bot] desktop notifications unavailable (no D-Bus session bus); alerts go to the console',
      'WARNING [churn-bot] t: m',
    ]);
  });

  it('falls back when the notifier never answers, and stops trying after the first failure', async () => {
    const { notifier, calls } = scriptedNotifier(() => undefined);
    const { stream, lines } = collectingStream();
    const alerter = new DesktopAlerter({ appName: 'churn-bot', notifier, stream, timeoutMs: 50 });
    await alerter.notify('first', 'a');
    await alerter.notify('second', 'b');
    expect(calls).toHaveLength(1);
    expect(lines()).toEqual([
      '[churn-bot] desktop notifications unavailable (no answer from the notifier within 50 ms); alerts go to the console',
      '[churn-bot] first: a',
      '[churn-bot] second: b',
    ]);
  });

  it('never throws when the notifier throws, tells the reason once for concurrent alerts, and hides secrets', async () => {
    const { notifier } = scriptedNotifier(() => {
      throw new Error('spawn EACCES');
    });
    const { stream, lines } = collectingStream();
    const alerter = new DesktopAlerter({ appName: 'churn-bot', notifier, stream, secrets: ['pw-secret-1'] });
    await expect(Promise.all([alerter.notify('one', 'login pw-secret-1 failed'), alerter.notify('two', 'x')])).resolves.toEqual([undefined, undefined]);
    expect(lines()).toEqual([
      '[churn-bot] desktop notifications unavailable (spawn EACCES); alerts go to the console',
      '[churn-bot] one: login *** failed',
      '[churn-bot] two: x',
    ]);
  });

  it('stop() waits for an alert still on its way', async () => {
    const { notifier } = scriptedNotifier((callback) => setTimeout(() => callback(new Error('late failure')), 20));
    const { stream, lines } = collectingStream();
    const alerter = new DesktopAlerter({ notifier, stream });
    void alerter.notify('Done', 'bye');
    await alerter.stop();
    expect(lines()).toContain('[mlops-kit] Done: bye');
    expect(alerter.serviceName).toBe('alerter');
  });
});

describe('DesktopAlerter with a logger (what the container binds)', () => {
  it('falls back to the log, not to the stream: one log stream on a headless server', async () => {
    const { stream, lines } = collectingStream();
    const logger = new MemoryLogger();
    const { notifier } = scriptedNotifier((callback) => callback(new Error('not found: notify-send')));
    const alerter = new DesktopAlerter({ appName: 'churn-bot', stream, notifier, logger });
    await alerter.notify('Promotion done', 'v7', 'info');
    await alerter.notify('Training failed', 'NaN', 'error');
    expect(lines()).toEqual([]);
    expect(logger.messages('info')).toEqual(['Desktop notifications unavailable (notify-send not found); alerts go to the log', 'Promotion done: v7']);
    expect(logger.messages('error')).toEqual(['Training failed: NaN']);
  });
});
