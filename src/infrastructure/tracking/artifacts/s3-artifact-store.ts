import type * as S3Sdk from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfigError, ErrorCodes } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import { joinArtifactPath, normalizeArtifactPath } from '../shared/artifact-paths';
import type { ArtifactStore } from '../shared/artifact-store';
import { forEachLimited, localPathFor, uploadFileOrDirectory } from '../shared/local-files';
import { s3Failure } from './s3-errors';
import { DEFAULT_S3_REGION, type S3Settings } from './s3-settings';

/** Files up to this size are sent from memory, so the SDK's retries can resend them. */
const BUFFER_LIMIT = 16 * 1024 * 1024;
const CONCURRENCY = 4;

/**
 * A run's artifacts in S3 or an S3-compatible server (`s3://bucket/prefix`), written by the client itself
 * as MLflow's Python client does: key `<prefix>/<artifactPath>/<basename>`, path-style addressing,
 * endpoint/credentials/region from S3Settings. The AWS SDK (large) is loaded on first use only.
 * Checksums are computed only when an operation requires them: the SDK's newer default (CRC32 trailers,
 * aws-chunked bodies) is not understood by many S3-compatible servers. A single PutObject is used, so
 * one file is at most 5 GB (multipart would need @aws-sdk/lib-storage).
 *
 * @example
 * const store = new S3ArtifactStore('s3://mlflow/1/4f1c…/artifacts', { endpointUrl: 'http://127.0.0.1:9000', accessKeyId, secretAccessKey });
 * await store.upload('./out/model', 'model');
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  /** Key prefix of the run's artifact root, no leading or trailing slash ('' = bucket root). */
  readonly prefix: string;
  private readonly where: string;
  private client: S3Sdk.S3Client | undefined;
  private sdk: typeof S3Sdk | undefined;

  constructor(artifactUri: string, private readonly settings: S3Settings = {}) {
    const uri = new URL(artifactUri);
    this.bucket = uri.hostname;
    this.prefix = normalizeArtifactPath(decodeURIComponent(uri.pathname));
    this.where = settings.endpointUrl ? stripCredentials(settings.endpointUrl) : 'AWS S3';
    if (!this.bucket) {
      throw new ConfigError(`Artifact URI ${JSON.stringify(artifactUri)} names no bucket: expected s3://<bucket>/<prefix>.`, ErrorCodes.CONFIG_INVALID, {
        details: { artifactUri },
      });
    }
  }

  async upload(localPath: string, artifactPath?: string): Promise<void> {
    await uploadFileOrDirectory(localPath, artifactPath, CONCURRENCY, (file, size, key) => this.putFile(file, size, key));
  }

  async list(dirPath?: string): Promise<ArtifactInfo[]> {
    const dir = normalizeArtifactPath(dirPath);
    const infos: ArtifactInfo[] = [];
    await this.listKeys(dir, '/', (page) => {
      for (const common of page.CommonPrefixes ?? []) {
        const relative = this.relative(common.Prefix ?? '').replace(/\/+$/, '');
        if (relative) infos.push({ path: relative, isDir: true });
      }
      for (const object of page.Contents ?? []) {
        const relative = this.relative(object.Key ?? '');
        if (relative && relative !== dir && !relative.endsWith('/')) infos.push({ path: relative, isDir: false, fileSize: object.Size ?? 0 });
      }
    });
    return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async download(artifactPath: string, destDir: string): Promise<string> {
    const source = normalizeArtifactPath(artifactPath);
    const target = localPathFor(path.resolve(destDir), source);
    const files: string[] = [];
    await this.listKeys(source, undefined, (page) => {
      for (const object of page.Contents ?? []) {
        const relative = this.relative(object.Key ?? '');
        if (relative && !relative.endsWith('/')) files.push(relative);
      }
    });
    if (source !== '' && files.length === 0) {
      await this.getFile(source, target); // a single object, or NoSuchKey → ARTIFACT_NOT_FOUND
      return target;
    }
    await fs.mkdir(target, { recursive: true });
    await forEachLimited(files, CONCURRENCY, (file) => this.getFile(file, localPathFor(target, file.slice(source ? source.length + 1 : 0))));
    return target;
  }

  /** Pages through ListObjectsV2 below `dir/` (with `delimiter`: one level; without: everything). */
  private async listKeys(dir: string, delimiter: string | undefined, onPage: (page: S3Sdk.ListObjectsV2CommandOutput) => void): Promise<void> {
    const base = this.key(dir);
    const prefix = base ? `${base}/` : '';
    let token: string | undefined;
    do {
      const page = await this.call('list', prefix, (sdk, client) =>
        client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token })),
      );
      onPage(page);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async putFile(localFile: string, size: number, artifactPath: string): Promise<void> {
    const key = this.key(artifactPath);
    let stream: ReadStream | undefined;
    const body = size <= BUFFER_LIMIT ? await fs.readFile(localFile) : (stream = createReadStream(localFile));
    try {
      await this.call('upload', key, (sdk, client) =>
        client.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: size })),
      );
    } finally {
      stream?.destroy();
    }
  }

  private async getFile(artifactPath: string, target: string): Promise<void> {
    const key = this.key(artifactPath);
    const object = await this.call('download', key, (sdk, client) => client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key })));
    await fs.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.part-${process.pid}`;
    try {
      await pipeline(object.Body as Readable, createWriteStream(partial));
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      if (typeof (error as { path?: unknown }).path === 'string') throw error;
      throw s3Failure(error, { action: 'download', bucket: this.bucket, key, where: this.where });
    }
  }

  private async call<T>(action: string, key: string, run: (sdk: typeof S3Sdk, client: S3Sdk.S3Client) => Promise<T>): Promise<T> {
    const client = this.getClient();
    try {
      return await run(this.sdk!, client);
    } catch (error) {
      throw s3Failure(error, { action, bucket: this.bucket, key, where: this.where });
    }
  }

  private getClient(): S3Sdk.S3Client {
    if (this.client) return this.client;
    const sdk = loadSdk();
    this.sdk = sdk;
    // one client (and socket pool) per settings object: a tracker creates a store per run with the same settings
    this.client = clients.get(this.settings) ?? createClient(sdk, this.settings);
    clients.set(this.settings, this.client);
    return this.client;
  }

  private key(artifactPath: string): string {
    return joinArtifactPath(this.prefix, artifactPath);
  }

  /** A key's path relative to the run's artifact root. */
  private relative(key: string): string {
    return this.prefix ? (key.startsWith(`${this.prefix}/`) ? key.slice(this.prefix.length + 1) : '') : key;
  }
}

const clients = new WeakMap<S3Settings, S3Sdk.S3Client>();

function createClient(sdk: typeof S3Sdk, settings: S3Settings): S3Sdk.S3Client {
  const { endpointUrl, ignoreTls, accessKeyId, secretAccessKey, sessionToken, region } = settings;
  return new sdk.S3Client({
    region: region || DEFAULT_S3_REGION,
    endpoint: endpointUrl || undefined,
    forcePathStyle: true,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined } : undefined,
    requestHandler: ignoreTls ? { httpsAgent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }) } : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The SDK is required on first use only: it takes a noticeable time to load, and most runs never touch
 * S3. It is an optional peer dependency, so a missing SDK is a config problem with a one-line fix.
 */
function loadSdk(): typeof S3Sdk {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@aws-sdk/client-s3') as typeof S3Sdk;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    const why = missing ? 'which is not installed' : `which could not be loaded (${String((error as Error).message).split('\n')[0]})`;
    throw new ConfigError(
      `s3:// artifacts need the optional package @aws-sdk/client-s3, ${why}. Install it with: npm install @aws-sdk/client-s3`,
      ErrorCodes.ADAPTER_NOT_AVAILABLE,
    );
  }
}

function stripCredentials(endpoint: string): string {
  return endpoint.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/i, '$1');
}
