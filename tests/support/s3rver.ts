import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** s3rver's fixed credentials: it checks the key id, not the signature (a protocol test, not an auth test). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverHandle {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where s3rver keeps the objects (a temp dir, removed by stop()). */
  directory: string;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * Starts s3rver (an S3 protocol server in Node) on 127.0.0.1 with a free port and a temp directory,
 * with one bucket already created.
 *
 * @example
 * const s3 = await startS3rver('mlflow');
 * const store = new S3ArtifactStore('s3://mlflow/1/run/artifacts', { endpointUrl: s3.endpoint, ...S3RVER_CREDENTIALS });
 * await s3.stop();
 */
export async function startS3rver(bucket = 'mlflow'): Promise<S3rverHandle> {
  // s3rver ships no types; it is a dev dependency used only here
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-kit-s3rver-'));
  const instance = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = await instance.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    ...S3RVER_CREDENTIALS,
    directory,
    async stop() {
      // keep-alive sockets of an SDK client would otherwise hold close() open
      instance.httpServer?.closeAllConnections();
      await instance.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
