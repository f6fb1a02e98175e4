import { Logger } from '@nestjs/common';
import { NotFoundError } from 'mlops-kit';
import { NestLoggerAdapter } from 'mlops-kit/nest';
import { recordingLogger } from '../../support/nest';

/** NestLoggerAdapter: mlops-kit's lines through whatever logger the Nest app installed, redacted as WinstonLogger redacts. */
let nest: ReturnType<typeof recordingLogger>;
beforeEach(() => {
  nest = recordingLogger();
  Logger.overrideLogger(nest);
});

it('maps the levels onto Nest methods, the source onto the context', () => {
  const logger = new NestLoggerAdapter({ level: 'debug' });
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  logger.child('tracker').info('child line');
  expect(nest.calls.map((c) => [c.method, c.message, c.params.at(-1)])).toEqual([
    ['debug', 'd', 'mlops-kit'],
    ['log', 'i', 'mlops-kit'],
    ['warn', 'w', 'mlops-kit'],
    ['error', 'e', 'mlops-kit'],
    ['log', 'child line', 'mlops-kit:tracker'],
  ]);
});

it('drops lines below its level before Nest sees them (default info)', () => {
  const logger = new NestLoggerAdapter();
  logger.debug('hidden');
  logger.child('x').debug('hidden too');
  logger.info('shown');
  expect(nest.lines()).toEqual(['shown']);
  new NestLoggerAdapter({ level: 'error' }).warn('hidden');
  expect(nest.lines()).toEqual(['shown']);
});

it('keeps one line per call: fields follow the message as JSON; a `source` field becomes the context', () => {
  new NestLoggerAdapter().info('Logged metrics', { runId: 'abc', count: 3, source: 'runtime' });
  expect(nest.calls).toEqual([{ method: 'log', message: 'Logged metrics {"runId":"abc","count":3}', params: ['mlops-kit:runtime'] }]);
});

it('redacts known secrets, secret-keyed fields and URL credentials, in messages and fields', () => {
  const logger = new NestLoggerAdapter({ secrets: ['pw-s3cr3t-42'] });
  logger.warn('login with pw-s3cr3t-42 at https://svc:hunter2@mlflow.example', { password: 'other', nested: { apiKey: 'k-123456' }, note: 'was pw-s3cr3t-42' });
  const line = String(nest.calls[0]!.message);
  expect(line).not.toMatch(/s3cr3t|hunter2|other|k-123456/);
  expect(line).toBe('login with *** at https://svc:***@mlflow.example {"password":"***","nested":{"apiKey":"***"},"note":"was ***"}');
});

it("gives Nest the stack of an unexpected Error on an error line; an mlops-kit error stays one line", () => {
  const logger = new NestLoggerAdapter({ stacks: 'unexpected' });
  logger.error('Job failed', { error: new TypeError('x is undefined') });
  logger.error('Job failed', { error: new NotFoundError('no model "churn"') });
  const [bug, expected] = nest.calls;
  expect(bug!.params[0]).toMatch(/^TypeError: x is undefined\n\s+at /);
  expect(bug!.message).toBe('Job failed {"error":{"name":"TypeError","message":"x is undefined"}}');
  expect(expected!.params).toEqual([undefined, 'mlops-kit']);
  expect(expected!.message).toBe('Job failed {"error":{"name":"NotFoundError","message":"no model \\"churn\\"","code":"NOT_FOUND"}}');
});

it('never throws into the code that logs', () => {
  Logger.overrideLogger({ log: () => { throw new Error('broken transport'); }, error: () => undefined, warn: () => undefined });
  expect(() => new NestLoggerAdapter().info('still fine')).not.toThrow();
});
