import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * An error the fake server answers with, in MLflow's shape `{"error_code","message"}`.
 *
 * @example throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${id}' not found`);
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string): ApiError => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string): ApiError => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string): ApiError => new ApiError(400, 'RESOURCE_ALREADY_EXISTS', message);

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON as MLflow's server writes it: non-finite numbers as the strings "NaN", "Infinity", "-Infinity". */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v,
  );
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Flask's HTML pages for unknown routes and wrong methods (the server answers these, not JSON). */
export function sendHtml(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`);
}

/** Reads a required string field the way MLflow reports a missing one. */
export function requireString(source: Record<string, unknown>, field: string): string {
  const value = source[field];
  if (value === undefined || value === null || value === '') {
    throw invalid(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`);
  }
  if (typeof value !== 'string') throw invalid(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected a string.`);
  return value;
}

export function optionalString(source: Record<string, unknown>, field: string): string | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected a string.`);
  return value;
}

/** int64 fields: protobuf JSON accepts a number or a numeric string. */
export function optionalInt(source: Record<string, unknown>, field: string): number | undefined {
  const value = source[field];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw invalid(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected an integer.`);
  return n;
}

export function keyValues(value: unknown, field: string): { key: string; value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`Invalid value for parameter '${field}' supplied: expected a list.`);
  return value.map((item: Record<string, unknown>, i) => ({
    key: requireString(item ?? {}, 'key'),
    value: optionalString(item ?? {}, 'value') ?? (() => { throw invalid(`Missing value for required parameter '${field}[${i}].value'.`); })(),
  }));
}

/** Offset-based page tokens, opaque to the client like MLflow's. */
export function pageTokenOffset(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw invalid(`Invalid page token, could not base64-decode: ${token}`);
}

export function paginate<T>(items: T[], maxResults: number, pageToken: string | undefined): { page: T[]; next?: string } {
  const offset = pageTokenOffset(pageToken);
  const page = items.slice(offset, offset + maxResults);
  const end = offset + page.length;
  return { page, next: end < items.length ? Buffer.from(JSON.stringify({ offset: end })).toString('base64') : undefined };
}

/** `[{key,value}]` from a map, or undefined when empty (MLflow omits empty repeated fields). */
export function pairsOrOmit(map: Map<string, string>): { key: string; value: string }[] | undefined {
  return map.size === 0 ? undefined : [...map].map(([key, value]) => ({ key, value }));
}

export function listOrOmit<T>(items: T[]): T[] | undefined {
  return items.length === 0 ? undefined : items;
}
