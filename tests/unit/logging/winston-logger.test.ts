import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, ErrorCodes, NotFoundError } from '../../../src/domain/errors';
import { WinstonLogger } from '../../../src/infrastructure/logging';

const SECRETS = ['wJalrXUtnFEMI-secret-key', 'mlflow-pw-42', 'tok-abcdef-999'];
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/;

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-kit-log-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function lines(file: string): Promise<string[]> {
  return (await fs.readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
}

/** Descriptors of this process open on `file`; [] where /proc/self/fd does not exist. */
async function openDescriptorsOf(file: string): Promise<string[]> {
  const fdDir = '/proc/self/fd';
  const fds = await fs.readdir(fdDir).catch(() => [] as string[]);
  const targets = await Promise.all(fds.map((fd) => fs.readlink(path.join(fdDir, fd)).catch(() => '')));
  return targets.filter((t) => t === file);
}

describe('WinstonLogger with a file sink', () => {
  it('pretty lines carry timestamp, level and source; child(source) sets the source', async () => {
    const file = path.join(dir, 'run.log');
    const logger = new WinstonLogger({ sink: file, format: 'pretty' });
    await logger.start();
    logger.info('job started', { runId: 'r1' });
    logger.child('tracker').warn('retrying');
    await logger.stop();

    const [first, second] = await lines(file);
    expect(first).toMatch(new RegExp(`^${ISO.source} INFO  \\[mlops-kit\\] job started \\{"runId":"r1"\\}$`));
    expect(second).toMatch(new RegExp(`^${ISO.source} WARN  \\[tracker\\] retrying$`));
  });

  it('json lines parse, with timestamp/level/source/message and the fields', async () => {
    const file = path.join(dir, 'run.jsonl');
    const logger = new WinstonLogger({ sink: file, format: 'json', source: 'cli' });
    logger.child('registry').error('alias not set', { model: 'churn', step: 3 });
    logger.info('clobber attempt', { level: 'fake', message: 'fake', timestamp: 'fake' });
    await logger.stop();

    const [a, b] = (await lines(file)).map((l) => JSON.parse(l));
    expect(a).toEqual({ timestamp: expect.stringMatching(ISO), level: 'error', source: 'registry', message: 'alias not set', model: 'churn', step: 3 });
    // reserved names in fields cannot forge a line's level, message or time
    expect(b).toMatchObject({ level: 'info', message: 'clobber attempt', source: 'cli', _level: 'fake', _message: 'fake', _timestamp: 'fake' });
  });

  it('a field named source replaces the line source (how Job tags its lifecycle lines)', async () => {
    const file = path.join(dir, 'run.jsonl');
    const logger = new WinstonLogger({ sink: file, format: 'json' });
    logger.info('[START] tracker', { source: 'job' });
    await logger.stop();
    expect(JSON.parse((await lines(file))[0])).toMatchObject({ source: 'job', message: '[START] tracker' });
  });

  it('filters by level: info drops debug; debug keeps everything', async () => {
    const infoFile = path.join(dir, 'info.log');
    const debugFile = path.join(dir, 'debug.log');
    const atInfo = new WinstonLogger({ sink: infoFile, level: 'info' });
    const atDebug = new WinstonLogger({ sink: debugFile, level: 'debug' });
    for (const logger of [atInfo, atDebug]) {
      logger.debug('d');
      logger.child('x').debug('child d');
      logger.info('i');
      logger.error('e');
      await logger.stop();
    }
    expect((await lines(infoFile)).map((l) => l.split('] ')[1])).toEqual(['i', 'e']);
    expect((await lines(debugFile)).map((l) => l.split('] ')[1])).toEqual(['d', 'child d', 'i', 'e']);
  });

  it('never writes a known secret or a value under a secret-looking key, even inside an Error', async () => {
    for (const format of ['json', 'pretty'] as const) {
      const file = path.join(dir, `secrets.${format}`);
      const logger = new WinstonLogger({ sink: file, format, secrets: SECRETS });
      logger.info(`connecting with ${SECRETS[1]} to https://bob:${SECRETS[1]}@mlflow.example.com`);
      logger.child('s3').warn('upload', {
        secretAccessKey: 'AKIA-not-in-the-secrets-list',
        nested: { deeper: { password: 'plain-pw', note: `token is ${SECRETS[2]}` } },
        headers: { Authorization: 'Bearer abc.def.ghi' },
      });
      logger.error('request failed', { error: new Error(`401 for token ${SECRETS[2]} and key ${SECRETS[0]}`) });
      logger.error(`Authorization: Basic Ym9iOm1sZmxvdy1wdy00Mg==`);
      await logger.stop();

      const text = await fs.readFile(file, 'utf8');
      for (const secret of [...SECRETS, 'AKIA-not-in-the-secrets-list', 'plain-pw', 'abc.def.ghi', 'Ym9iOm1sZmxvdy1wdy00Mg==']) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain('https://bob:***@mlflow.example.com');
      expect(text).toContain('401 for token *** and key ***');
    }
  });

  it('serializes an Error field with name, message and code; the stack of an expected (Mlops) error only with stacks: all', async () => {
    const file = path.join(dir, 'err.jsonl');
    const logger = new WinstonLogger({ sink: file, format: 'json', stacks: 'unexpected' });
    logger.error('job failed', { error: new ConfigError('tracking.uri missing', ErrorCodes.CONFIG_MISSING_ENV) });
    await logger.stop();
    const { error } = JSON.parse((await lines(file))[0]);
    expect(error).toMatchObject({ name: 'ConfigError', message: 'tracking.uri missing', code: 'CONFIG_MISSING_ENV' });
    expect(error.stack).toBeUndefined();

    const debugFile = path.join(dir, 'err-debug.jsonl');
    const debug = new WinstonLogger({ sink: debugFile, format: 'json', stacks: 'all' });
    debug.error('job failed', { error: new ConfigError('tracking.uri missing', ErrorCodes.CONFIG_MISSING_ENV) });
    await debug.stop();
    expect(JSON.parse((await lines(debugFile))[0]).error.stack).toContain('ConfigError: tracking.uri missing');
  });

  it('an expected failure is one pretty line; an unexpected one (a bug) keeps its stack', async () => {
    const file = path.join(dir, 'expected.log');
    const logger = new WinstonLogger({ sink: file, stacks: 'unexpected' });
    const cause = new NotFoundError('Model m not found.', ErrorCodes.MODEL_NOT_FOUND);
    logger.error('Job failed', { error: new NotFoundError('job.modelUri models:/m/1: Model m not found.', ErrorCodes.MODEL_NOT_FOUND, { cause }) });
    logger.error('Job failed', { error: new TypeError('x is undefined') });
    await logger.stop();
    const all = await lines(file);
    expect(all[0]).toMatch(/ERROR \[mlops-kit\] Job failed \{"error":\{"name":"NotFoundError"/);
    expect(all[1]).toMatch(/ERROR \[mlops-kit\] Job failed \{"error":\{"name":"TypeError"/);
    expect(all[2]).toBe('    TypeError: x is undefined');
  });

  it('escapes control characters of a message so logged input cannot drive the terminal', async () => {
    const file = path.join(dir, 'esc.log');
    const logger = new WinstonLogger({ sink: file, colors: false });
    logger.warn('unknown key "a\u001b[2Jb"');
    await logger.stop();
    const [line] = await lines(file);
    expect(line).toContain('unknown key "a\\u001b[2Jb"');
    expect(line).not.toContain('\u001b');
  });

  it('pretty format prints an Error stack on the following lines', async () => {
    const file = path.join(dir, 'err.log');
    const logger = new WinstonLogger({ sink: file });
    logger.error('job failed', { error: new Error('boom') });
    await logger.stop();
    const [head, stack] = await lines(file);
    expect(head).toMatch(/ERROR \[mlops-kit\] job failed \{"error":\{"name":"Error","message":"boom"\}\}$/);
    expect(stack).toBe('    Error: boom');
  });

  it('stop() flushes: every one of many lines is in the file when it resolves', async () => {
    const file = path.join(dir, 'many.log');
    const logger = new WinstonLogger({ sink: file, format: 'json' });
    await logger.start();
    const count = 10000;
    const child = logger.child('loop');
    for (let i = 0; i < count; i++) child.info('line', { i, padding: 'x'.repeat(100) });
    await logger.stop();
    // read synchronously, right away: nothing may still be on its way to the disk
    const written = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    expect(written).toHaveLength(count);
    expect(JSON.parse(written[count - 1]).i).toBe(count - 1);
    // and the file is closed, so it can be rotated or deleted (checked where /proc lists open files)
    expect(await openDescriptorsOf(file)).toEqual([]);
  });

  it('start/stop are idempotent, logging after stop neither throws nor writes, a restart appends to the file', async () => {
    const file = path.join(dir, 'sub', 'dir', 'app.log'); // parent directories are created
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'earlier run\n');
    const logger = new WinstonLogger({ sink: file });
    await logger.start();
    await logger.start();
    logger.info('once');
    await Promise.all([logger.stop(), logger.stop()]);
    await logger.stop();
    expect(() => logger.info('after stop')).not.toThrow();
    expect(() => logger.child('late').error('after stop')).not.toThrow();
    await logger.start(); // stop → start reopens the file, appending (a runtime that closes and starts again)
    logger.info('after restart');
    await logger.stop();
    const written = await lines(file);
    expect(written).toHaveLength(3);
    expect(written[0]).toBe('earlier run');
    expect(written[1]).toContain('once');
    expect(written[2]).toContain('after restart');
  });

  it('stop() on a logger that never logged creates no file', async () => {
    const file = path.join(dir, 'never.log');
    const logger = new WinstonLogger({ sink: file });
    await logger.stop();
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a log file that cannot be opened makes start() fail with CONFIG_INVALID naming the path and the fix', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    await fs.writeFile(blocker, '');
    const file = path.join(blocker, 'app.log');
    const logger = new WinstonLogger({ sink: file });
    const error = await logger.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, details: { keyPath: 'logging.sink', path: file } });
    expect((error as Error).message).toMatch(/^logging\.sink: cannot open log file .*not-a-dir.*app\.log.*set logging\.sink to stderr/);
    await logger.stop();
  });

  it('rejects an unknown level with CONFIG_INVALID listing the valid ones', () => {
    expect(() => new WinstonLogger({ level: 'loud' as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.CONFIG_INVALID, message: expect.stringMatching(/unknown level "loud".*error, warn, info/) }),
    );
  });
});
