import type { ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { type ErrorCode, errorCodeOf } from '../../domain/errors';
import { HTTP_STATUS_BY_CODE } from '../../domain/http-status';

/**
 * The body {@link MlopsExceptionFilter} answers an mlops-kit error with.
 *
 * @example const body: MlopsErrorBody = { statusCode: 404, code: 'MODEL_NOT_FOUND', message: 'Registered model "churn" not found.' };
 */
export interface MlopsErrorBody {
  /** The HTTP status, from `HTTP_STATUS_BY_CODE` (400 bad input, 404 not found, 409, 499 interrupted, 5xx). */
  statusCode: number;
  /** The error's stable code: what clients match on. */
  code: ErrorCode;
  /** The error's one-line message. */
  message: string;
}

/**
 * Answers every mlops-kit error (recognized by its code, so one from another copy of the package too)
 * with its status from the one table, `HTTP_STATUS_BY_CODE`, and a {@link MlopsErrorBody}; any other
 * exception — an `HttpException`, a body parser's 400, a bug — goes to Nest's default handling,
 * unchanged. Works on any HTTP platform (it replies through Nest's HTTP adapter). Register it as
 * `APP_FILTER` (Nest then gives it the adapter), or pass the adapter when constructing it.
 *
 * @example
 * ```ts
 * providers: [{ provide: APP_FILTER, useClass: MlopsExceptionFilter }]
 * // or, in main.ts:
 * app.useGlobalFilters(new MlopsExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
 * ```
 */
@Catch()
export class MlopsExceptionFilter extends BaseExceptionFilter {
  // no constructor of its own: BaseExceptionFilter's (an optional HTTP adapter) and its DI metadata are inherited
  override catch(exception: unknown, host: ArgumentsHost): void {
    const code = errorCodeOf(exception);
    if (code === undefined || host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const statusCode = HTTP_STATUS_BY_CODE[code];
    const body: MlopsErrorBody = { statusCode, code, message: (exception as Error).message };
    const response: unknown = host.switchToHttp().getResponse();
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    if (adapter === undefined) replyRaw(response, body);
    else if (adapter.isHeadersSent(response)) adapter.end(response);
    else adapter.reply(response, body, statusCode);
  }
}

/**
 * Without Nest's adapter (`new MlopsExceptionFilter()` in `useGlobalFilters`), the Node response under
 * Express's (itself) or Fastify's (`raw`) still answers an mlops-kit error; other errors need the adapter,
 * as for any `BaseExceptionFilter`.
 */
function replyRaw(response: unknown, body: MlopsErrorBody): void {
  const raw = ((response as { raw?: unknown }).raw ?? response) as ServerResponse;
  if (raw.headersSent) {
    raw.end();
    return;
  }
  raw.statusCode = body.statusCode;
  raw.setHeader('content-type', 'application/json; charset=utf-8');
  raw.end(JSON.stringify(body));
}
