import { MemoryLogger } from '../../../src/infrastructure/logging';

describe('MemoryLogger', () => {
  it('records level, message, fields, source and an ISO timestamp; children share the entries', () => {
    const logger = new MemoryLogger();
    const tracker = logger.child('tracker');
    logger.info('job started', { runId: 'r1' });
    tracker.debug('batch sent', { count: 3 });
    tracker.child('s3').error('upload failed');

    expect(logger.entries).toEqual([
      { level: 'info', message: 'job started', fields: { runId: 'r1' }, source: 'mlops-kit', timestamp: expect.stringMatching(/Z$/) },
      { level: 'debug', message: 'batch sent', fields: { count: 3 }, source: 'tracker', timestamp: expect.any(String) },
      { level: 'error', message: 'upload failed', fields: {}, source: 's3', timestamp: expect.any(String) },
    ]);
    expect(logger.messages()).toEqual(['job started', 'batch sent', 'upload failed']);
    expect(logger.messages('error')).toEqual(['upload failed']);
    expect(logger.find((e) => e.source === 'tracker')?.message).toBe('batch sent');
    expect((tracker as MemoryLogger).entries).toBe(logger.entries);
  });

  it('clear() empties the shared entries for every child', () => {
    const logger = new MemoryLogger();
    const child = logger.child('x') as MemoryLogger;
    child.info('a');
    logger.clear();
    expect(child.entries).toHaveLength(0);
    child.info('b');
    expect(logger.messages()).toEqual(['b']);
  });

  it('a source field becomes the entry source, as in WinstonLogger', () => {
    const logger = new MemoryLogger();
    logger.info('[START] tracker', { source: 'job' });
    expect(logger.entries[0]).toMatchObject({ source: 'job', fields: {} });
  });

  it('drops lines below its level', () => {
    const logger = new MemoryLogger({ level: 'warn' });
    logger.debug('d');
    logger.child('c').info('i');
    logger.warn('w');
    logger.error('e');
    expect(logger.messages()).toEqual(['w', 'e']);
  });

  it('applies the same redaction: secrets never appear in entries, not even inside an Error', () => {
    const secrets = ['mlflow-pw-42', 'aws-secret-value-9'];
    const logger = new MemoryLogger({ secrets });
    logger.child('tracker').error(`auth failed for https://bob:mlflow-pw-42@host`, {
      error: new Error('S3 rejected aws-secret-value-9'),
      config: { s3: { secretAccessKey: 'not-listed-but-keyed' }, metricKey: 'acc' },
    });
    const dump = JSON.stringify(logger.entries);
    for (const secret of [...secrets, 'not-listed-but-keyed']) expect(dump).not.toContain(secret);
    const [entry] = logger.entries;
    expect(entry.message).toBe('auth failed for https://bob:***@host');
    expect(entry.fields.error).toMatchObject({ name: 'Error', message: 'S3 rejected ***' });
    expect(entry.fields.config).toEqual({ s3: { secretAccessKey: '***' }, metricKey: 'acc' });
  });

  it('has serviceName logger and records before start and after stop', async () => {
    const logger = new MemoryLogger();
    expect(logger.serviceName).toBe('logger');
    logger.info('before');
    await logger.start();
    await logger.stop();
    await logger.stop();
    logger.info('after');
    expect(logger.messages()).toEqual(['before', 'after']);
  });
});
