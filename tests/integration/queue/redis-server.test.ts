import net from 'node:net';
import Redis from 'ioredis';
import { startRedisServer, type RedisServer } from '../../support/redis-server';

describe('the redis-server test helper (a real Debian redis-server child process)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => redis?.stop()); // unset when beforeAll failed: no second, misleading error

  it('serves on its loopback port; a restart keeps the data (a snapshot) unless told not to', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      await redis.restart();
      expect(await client.get('k')).toBe('v');
      await redis.restart({ keepData: false });
      expect(await client.get('k')).toBeNull();
      expect(await client.call('CONFIG', 'GET', 'save')).toEqual(['save', '']);
    } finally {
      client.disconnect();
    }
  });

  it('after stop() nothing listens on the port', async () => {
    const other = await startRedisServer();
    await other.stop();
    const refused = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = net.connect(other.port, '127.0.0.1');
      socket.once('connect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
      socket.once('error', resolve);
    });
    expect(refused.code).toBe('ECONNREFUSED');
  });
});
