import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { IAxiosRetryConfig } from 'axios-retry';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ConfigError, ErrorCodes } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import { redactText } from '../shared/redact';
import { artifactBasename, joinArtifactPath, normalizeArtifactPath } from '../shared/artifact-paths';
import type { ArtifactStore } from '../shared/artifact-store';
import { artifactNotFound } from '../shared/file-artifact-store';
import { forEachLimited, localPathFor, uploadFileOrDirectory } from '../shared/local-files';
import { proxyFailure } from './proxy-errors';

export interface ProxyArtifactStoreOptions {
  /** Files up to this size are sent from memory, so any retry can resend them; larger ones are streamed. Default 16 MiB. */
  bufferLimitBytes?: number;
  /** Files transferred at once for a directory. Default 4. */
  concurrency?: number;
  /** Secret values to scrub from error messages (a server may echo the token it refused). */
  secrets?: readonly string[];
}

const ROUTE = 'api/2.0/mlflow-artifacts/artifacts';
const DEFAULT_BUFFER_LIMIT = 16 * 1024 * 1024;

interface WireFileInfo {
  path?: string;
  is_dir?: boolean;
  file_size?: number | string;
}

/**
 * A run's artifacts behind the MLflow server's artifact proxy (`mlflow-artifacts:/<exp>/<run>/artifacts`,
 * server started with --serve-artifacts, the default). Files go up as raw PUT bodies, come down as GETs,
 * through the same authenticated, retrying client as the REST calls. A server started with
 * --no-serve-artifacts answers a plain-text 503: that is reported at once as ARTIFACT_STORE_UNAVAILABLE,
 * never retried.
 *
 * @example
 * const store = new ProxyArtifactStore('mlflow-artifacts:/1/4f1c…/artifacts', 'http://mlflow:5000', client.http);
 * await store.upload('./out/model', 'model');
 * await store.download('model', './restored'); // → ./restored/model
 */
export class ProxyArtifactStore implements ArtifactStore {
  private readonly http: AxiosInstance;
  /** Path of the run's root below the proxy's route, e.g. `1/4f1c…/artifacts`. */
  private readonly root: string;
  /** The proxy route: relative to the client's base URL, or absolute when the URI names its own host. */
  private readonly route: string;
  /** Server for messages, without credentials. */
  private readonly where: string;
  private readonly secrets: readonly string[];
  private readonly bufferLimit: number;
  private readonly concurrency: number;

  constructor(artifactUri: string, trackingUri: string, http?: AxiosInstance, options: ProxyArtifactStoreOptions = {}) {
    const uri = new URL(artifactUri);
    this.root = normalizeArtifactPath(decodeURIComponent(uri.pathname));
    this.http = http ?? axios.create({ baseURL: trackingUri, maxRedirects: 0 });
    const tracking = parseTrackingUri(trackingUri, artifactUri);
    // like MLflow: `mlflow-artifacts://host:port/…` keeps the tracking URI's scheme and path but uses that host
    this.route = uri.host && uri.host !== tracking.host ? `${tracking.protocol}//${uri.host}${tracking.pathname.replace(/\/+$/, '')}/${ROUTE}` : ROUTE;
    this.where = redactText(uri.host ? `${tracking.protocol}//${uri.host}` : trackingUri.replace(/\/+$/, ''));
    this.bufferLimit = options.bufferLimitBytes ?? DEFAULT_BUFFER_LIMIT;
    this.secrets = options.secrets ?? [];
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  async upload(localPath: string, artifactPath?: string): Promise<void> {
    await uploadFileOrDirectory(localPath, artifactPath, this.concurrency, (file, size, key) => this.putFile(file, size, key));
  }

  async list(dirPath?: string): Promise<ArtifactInfo[]> {
    const dir = normalizeArtifactPath(dirPath);
    const query = `?path=${encodeURIComponent(joinArtifactPath(this.root, dir))}`;
    let data: { files?: WireFileInfo[] } | undefined;
    try {
      data = (await this.http.get<{ files?: WireFileInfo[] }>(`${this.route}${query}`, { responseType: 'json' })).data;
    } catch (error) {
      throw proxyFailure(error, 'GET', dir, this.where, this.secrets);
    }
    const files = Array.isArray(data?.files) ? data.files : [];
    return files
      .filter((file) => typeof file.path === 'string' && file.path !== '')
      .map((file): ArtifactInfo => {
        const entryPath = joinArtifactPath(dir, artifactBasename(file.path!));
        return file.is_dir ? { path: entryPath, isDir: true } : { path: entryPath, isDir: false, fileSize: Number(file.file_size ?? 0) };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async download(artifactPath: string, destDir: string): Promise<string> {
    const source = normalizeArtifactPath(artifactPath);
    const target = localPathFor(path.resolve(destDir), source);
    const listing = await this.list(source);
    if (source !== '' && listing.length === 0) {
      // not a directory with content: a file, or nothing. A real server answers a GET of a missing file
      // with 500 INTERNAL_ERROR (retried for minutes), so the parent's listing tells "not found" first.
      const parent = source.includes('/') ? source.slice(0, source.lastIndexOf('/')) : '';
      const siblings = await this.list(parent);
      if (!siblings.some((entry) => entry.path === source && !entry.isDir)) throw artifactNotFound(source, `the artifacts served by ${this.where}`);
      await this.getFile(source, target);
      return target;
    }
    const files = await this.listFilesBelow(listing);
    await fs.mkdir(target, { recursive: true });
    await forEachLimited(files, this.concurrency, (file) => this.getFile(file, localPathFor(target, file.slice(source ? source.length + 1 : 0))));
    return target;
  }

  private async listFilesBelow(listing: ArtifactInfo[]): Promise<string[]> {
    const files: string[] = [];
    for (const entry of listing) {
      if (entry.isDir) files.push(...(await this.listFilesBelow(await this.list(entry.path))));
      else files.push(entry.path);
    }
    return files;
  }

  private fileUrl(artifactPath: string): string {
    return `${this.route}/${joinArtifactPath(this.root, artifactPath).split('/').map(encodeURIComponent).join('/')}`;
  }

  private async putFile(localFile: string, size: number, artifactPath: string): Promise<void> {
    const streams: ReadStream[] = [];
    const open = (): ReadStream => {
      const stream = createReadStream(localFile);
      streams.push(stream);
      return stream;
    };
    const config: AxiosRequestConfig & { mlopsDeadlineMs?: number } = {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      maxBodyLength: Infinity,
      maxRedirects: 0,
      responseType: 'text',
      // the MLflow transport bounds each attempt by a total deadline: a large file gets 1 s per MiB on top
      mlopsDeadlineMs: (this.http.defaults.timeout || 120_000) + Math.ceil(size / 1_048_576) * 1000,
    };
    let body: Buffer | ReadStream;
    if (size <= this.bufferLimit) {
      body = await fs.readFile(localFile);
    } else {
      body = open();
      // a stream cannot be sent twice: each retry of the shared client gets a fresh one
      const retry: IAxiosRetryConfig = {
        onRetry: (_count, _error, retried) => {
          retried.data = open();
        },
      };
      config['axios-retry'] = retry;
    }
    try {
      await this.http.put(this.fileUrl(artifactPath), body, config);
    } catch (error) {
      throw proxyFailure(error, 'PUT', artifactPath, this.where, this.secrets);
    } finally {
      for (const stream of streams) stream.destroy();
    }
  }

  private async getFile(artifactPath: string, target: string): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await this.http.get<NodeJS.ReadableStream>(this.fileUrl(artifactPath), { responseType: 'stream' })).data;
    } catch (error) {
      throw proxyFailure(error, 'GET', artifactPath, this.where, this.secrets);
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    // write beside the target and rename, so a broken transfer never leaves a truncated file under the real name
    const partial = `${target}.part-${process.pid}`;
    try {
      await pipeline(stream, createWriteStream(partial));
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      // a local write error (ENOSPC, EACCES …) names its path and is the caller's to see as is
      if (typeof (error as { path?: unknown }).path === 'string') throw error;
      throw proxyFailure(error, 'GET', artifactPath, this.where, this.secrets);
    }
  }
}

/** The proxy lives on the tracking server, so the tracking URI must be http(s). */
function parseTrackingUri(trackingUri: string, artifactUri: string): URL {
  const parsed = URL.canParse(trackingUri) ? new URL(trackingUri) : undefined;
  if (parsed?.protocol === 'http:' || parsed?.protocol === 'https:') return parsed;
  throw new ConfigError(
    `Artifact URI ${JSON.stringify(artifactUri)} is served by an MLflow server's artifact proxy, but the tracking URI ` +
      `${JSON.stringify(redactText(trackingUri))} is not an http(s) server. Set tracking.uri (MLFLOW_TRACKING_URI) to the server's URL.`,
    ErrorCodes.CONFIG_INVALID,
    { details: { artifactUri } },
  );
}
