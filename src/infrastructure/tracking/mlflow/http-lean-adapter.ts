import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import axios, { AxiosError, AxiosHeaders, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy'];
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;
const keptAlive = new WeakSet<Socket>();

/**
 * The axios adapter of the MLflow transport: a JSON request with a text answer (every REST call,
 * `runs/log-batch` above all) goes straight to node:http on the client's keep-alive agents; the rest
 * (artifact streams, and any request while an HTTP(S)_PROXY variable is set or with credentials in the
 * URL) takes axios' own http adapter. The point is cost: axios' adapter spends ~1 ms of CPU per request
 * on proxy lookup, redirect and decompression plumbing this client never uses (maxRedirects is 0), which
 * was ~15% of logging throughput against a server on the same host. Everything above the adapter (the
 * transport's deadlines, health and retries in http-transport.ts) is axios as before, and the adapter
 * answers exactly as axios' would: the same AxiosError codes for network errors (`ECONNREFUSED` …), for
 * the idle timeout (`ECONNABORTED`, "timeout of N ms exceeded"), for an abort (`ERR_CANCELED`), for a
 * status axios rejects (`ERR_BAD_REQUEST`/`ERR_BAD_RESPONSE` with the response) and for a body cut off
 * ("stream has been aborted").
 *
 * @example
 * axios.create({ adapter: leanAdapter(axios.getAdapter('http')), maxRedirects: 0, httpAgent, httpsAgent });
 */
export function leanAdapter(fallback: AxiosAdapter): AxiosAdapter {
  return (config) => (canGoLean(config) ? send(config) : fallback(config));
}

function canGoLean(config: InternalAxiosRequestConfig): boolean {
  return (
    config.responseType === 'text' &&
    (config.data === undefined || typeof config.data === 'string') &&
    config.maxRedirects === 0 &&
    config.auth === undefined &&
    config.socketPath == null &&
    !/^[a-z]+:\/\/[^/]*@/i.test(config.baseURL ?? '') &&
    !PROXY_VARIABLES.some((name) => process.env[name])
  );
}

function send(config: InternalAxiosRequestConfig): Promise<AxiosResponse<string>> {
  return new Promise((resolve, reject) => {
    const url = new URL(fullUrl(config.baseURL, config.url ?? ''));
    const secure = url.protocol === 'https:';
    const headers = config.headers.toJSON() as Record<string, string | string[]>;
    if (!config.headers.has('User-Agent')) headers['User-Agent'] = `axios/${axios.VERSION}`;
    if (!config.headers.has('Accept-Encoding')) headers['Accept-Encoding'] = 'identity';
    const data = config.data as string | undefined;
    if (data !== undefined) headers['Content-Length'] = String(Buffer.byteLength(data));

    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      config.signal?.removeEventListener?.('abort', onAbort);
      outcome();
    };
    const request = (secure ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: (config.method ?? 'get').toUpperCase(),
      headers,
      agent: secure ? config.httpsAgent : config.httpAgent,
    });
    function onAbort(): void {
      finish(() => reject(new CanceledError(undefined, config, request)));
      request.destroy();
    }
    if (config.signal?.aborted) return onAbort();
    config.signal?.addEventListener?.('abort', onAbort);

    request.on('socket', (socket: Socket) => {
      // what axios does: TCP keep-alive probes on pooled sockets
      if (!keptAlive.has(socket) && typeof socket.setKeepAlive === 'function') {
        socket.setKeepAlive(true, 60_000);
        keptAlive.add(socket);
      }
    });
    request.on('error', (error) => finish(() => reject(AxiosError.from(error, undefined, config, request))));
    if (config.timeout) {
      request.setTimeout(config.timeout, () => {
        finish(() => reject(new AxiosError(`timeout of ${config.timeout}ms exceeded`, AxiosError.ECONNABORTED, config, request)));
        request.destroy();
      });
    }
    request.on('response', (message) => {
      const chunks: Buffer[] = [];
      const response: AxiosResponse<string> = {
        data: '',
        status: message.statusCode ?? 0,
        statusText: message.statusMessage ?? '',
        headers: new AxiosHeaders(message.headers as Record<string, string>),
        config,
        request,
      };
      message.on('data', (chunk: Buffer) => chunks.push(chunk));
      message.on('error', (error) => finish(() => reject(AxiosError.from(error, undefined, config, request, response))));
      message.on('close', () => {
        if (!message.complete) finish(() => reject(new AxiosError('stream has been aborted', AxiosError.ERR_BAD_RESPONSE, config, request, response)));
      });
      message.on('end', () =>
        finish(() => {
          try {
            response.data = decode(Buffer.concat(chunks), message.headers['content-encoding']);
          } catch (error) {
            return reject(AxiosError.from(error, undefined, config, request, response));
          }
          settle(resolve, reject, response);
        }),
      );
    });
    request.end(data);
  });
}

/** axios' own rule: a relative URL is appended to the base URL with exactly one slash between. */
function fullUrl(baseURL: string | undefined, url: string): string {
  if (!baseURL || ABSOLUTE_URL.test(url)) return url;
  return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}

/** The body as text; a server that compresses although asked not to is still read (as axios would). */
function decode(body: Buffer, encoding: string | undefined): string {
  const plain =
    encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync(body) : encoding === 'deflate' ? inflateSync(body) : encoding === 'br' ? brotliDecompressSync(body) : body;
  const text = plain.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** axios' settle: resolve when `validateStatus` accepts the status, else reject with the response attached. */
function settle(resolve: (response: AxiosResponse<string>) => void, reject: (error: AxiosError) => void, response: AxiosResponse<string>): void {
  const validate = response.config.validateStatus;
  if (!response.status || !validate || validate(response.status)) return resolve(response);
  const code = [AxiosError.ERR_BAD_REQUEST, AxiosError.ERR_BAD_RESPONSE][Math.floor(response.status / 100) - 4]; // none for a 3xx, as in axios
  reject(new AxiosError(`Request failed with status code ${response.status}`, code, response.config, response.request, response));
}
