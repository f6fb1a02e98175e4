import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const PREFIX = '/api/2.0/mlflow-artifacts/';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/** What MLflow 2.x answers (as text, status 503) on every artifact route when started with --no-serve-artifacts. */
export const ARTIFACTS_DISABLED_TEXT =
  'Endpoint: /api/2.0/mlflow-artifacts/artifacts/<path:artifact_path> disabled due to the mlflow server running with ' +
  '`--no-serve-artifacts`. To enable artifacts server functionality, run `mlflow server` with `--serve-artifacts`';

/**
 * MLflow's artifact proxy (`mlflow server --serve-artifacts`) for the loopback test server, storing files
 * under `rootDir` the way `--artifacts-destination` would:
 * - `PUT  /api/2.0/mlflow-artifacts/artifacts/<path>` raw body → `{}`
 * - `GET  /api/2.0/mlflow-artifacts/artifacts/<path>` → the file's bytes (500 INTERNAL_ERROR "No such file or directory" if missing, as real servers answer)
 * - `GET  /api/2.0/mlflow-artifacts/artifacts?path=<dir>` → `{files:[{path: basename, is_dir, file_size}]}`
 *   (`files` omitted when empty, as MLflow omits empty repeated fields)
 * - `DELETE /api/2.0/mlflow-artifacts/artifacts/<path>` → `{}`
 * With `disabled = true`, every artifact route answers 503 with a plain-text body, like --no-serve-artifacts.
 *
 * @example
 * const routes = new ArtifactRoutes(dir);
 * http.createServer(async (req, res) => {
 *   const url = new URL(req.url ?? '/', 'http://127.0.0.1');
 *   if (!(await routes.handle(req, res, url))) { res.writeHead(404); res.end(); }
 * });
 */
export class ArtifactRoutes {
  disabled = false;

  constructor(readonly rootDir: string) {}

  /** Answers the request and returns true when it is an artifact route; returns false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith(PREFIX)) return false;
    try {
      if (this.disabled) {
        await drain(req); // read the upload first, so the client sees the 503 rather than a reset socket
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(ARTIFACTS_DISABLED_TEXT);
        return true;
      }
      if (url.pathname === ARTIFACTS || url.pathname === `${ARTIFACTS}/`) {
        if (req.method !== 'GET') return answerError(res, 405, 'ENDPOINT_NOT_FOUND', `${req.method} is not allowed on ${ARTIFACTS}`, req);
        await this.list(res, url.searchParams.get('path') ?? '');
        return true;
      }
      if (!url.pathname.startsWith(`${ARTIFACTS}/`)) return answerError(res, 404, 'ENDPOINT_NOT_FOUND', `No route ${url.pathname}`, req);
      const relative = safeRelative(url.pathname.slice(ARTIFACTS.length + 1));
      if (relative === undefined) return answerError(res, 400, 'INVALID_PARAMETER_VALUE', `Invalid path ${url.pathname}`, req);
      const file = path.join(this.rootDir, ...relative.split('/'));
      if (req.method === 'PUT') await this.put(req, res, file);
      else if (req.method === 'GET') await this.get(res, file, relative);
      else if (req.method === 'DELETE') await this.remove(res, file);
      else return answerError(res, 405, 'ENDPOINT_NOT_FOUND', `${req.method} is not allowed on artifacts`, req);
      return true;
    } catch (error) {
      if (!res.headersSent) return answerError(res, 500, 'INTERNAL_ERROR', (error as Error).message, req);
      res.destroy();
      return true;
    }
  }

  private async put(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await pipeline(req, createWriteStream(file));
    answerJson(res, 200, {});
  }

  private async get(res: ServerResponse, file: string, relative: string): Promise<void> {
    const stats = await fs.stat(file).catch(() => undefined);
    if (!stats?.isFile()) {
      // what both 2.12 and 3.11 answer for a missing file: a 500, not a 404
      answerJson(res, 500, { error_code: 'INTERNAL_ERROR', message: `[Errno 2] No such file or directory: '${relative}'` });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(stats.size) });
    await pipeline(createReadStream(file), res);
  }

  private async list(res: ServerResponse, dirParam: string): Promise<void> {
    const relative = safeRelative(dirParam);
    if (relative === undefined) {
      answerJson(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid path: ${dirParam}` });
      return;
    }
    const dir = path.join(this.rootDir, ...relative.split('/').filter(Boolean));
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    const files = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) files.push({ path: entry.name, is_dir: true });
      else files.push({ path: entry.name, is_dir: false, file_size: (await fs.stat(path.join(dir, entry.name))).size });
    }
    answerJson(res, 200, files.length > 0 ? { files } : {});
  }

  private async remove(res: ServerResponse, file: string): Promise<void> {
    await fs.rm(file, { recursive: true, force: true });
    answerJson(res, 200, {});
  }
}

/** Decodes `a/b%20c` and rejects `..`, absolute and empty paths; '' stays '' (the root, for listing). */
function safeRelative(encoded: string): string | undefined {
  let parts: string[];
  try {
    parts = encoded.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === '..' || p === '.' || p.includes('/') || p.includes('\\') || p.includes('\0'))) return undefined;
  return parts.join('/');
}

/** Reads and discards the rest of the request body; a broken upload is not an error here. */
async function drain(req: IncomingMessage): Promise<void> {
  try {
    for await (const _chunk of req) {
      // discard
    }
  } catch {
    // the client went away
  }
}

function answerJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

async function answerError(res: ServerResponse, status: number, errorCode: string, message: string, req: IncomingMessage): Promise<true> {
  await drain(req);
  answerJson(res, status, { error_code: errorCode, message });
  return true;
}
