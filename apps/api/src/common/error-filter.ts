import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ErrorCode, ErrorResponse } from '@plumbline/contracts';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '@plumbline/db';
import { QueueUnavailableError } from '@plumbline/jobs';
import { DomainError, HTTP_STATUS } from './domain-error.js';

/** Seconds a client should wait before retrying a 503 (a dependency is down). */
export const RETRY_AFTER_SECONDS = 5;

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The single place where errors become HTTP responses: `{ error: { code, message, ... } }`. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    let status = 500;
    let body: ErrorResponse['error'];
    if (exception instanceof QueueUnavailableError || isDatabaseUnavailable(exception)) {
      // A dependency is down: say so at once (503 + Retry-After), keep its details in the log.
      status = 503;
      const what = exception instanceof QueueUnavailableError ? 'job queue' : 'database';
      this.logger.warn(
        { requestId: req.requestId, err: exception instanceof Error ? exception.message : '' },
        `${what} unavailable`,
      );
      body = { code: 'unavailable', message: `the ${what} is unavailable; try again shortly` };
    } else if (exception instanceof DomainError) {
      status = HTTP_STATUS[exception.code];
      body = { code: exception.code, message: exception.message, details: exception.details };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const code = BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
      body = {
        code,
        message:
          status === 404
            ? `no route for ${req.method} ${req.path}`
            : status === 413
              ? 'request body too large'
              : exception.message,
      };
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      body = {
        code: BY_STATUS[status] ?? 'bad_request',
        message:
          exception.type === 'entity.too.large'
            ? 'request body too large'
            : 'malformed request body',
      };
    } else {
      this.logger.error(
        {
          requestId: req.requestId,
          err: exception instanceof Error ? exception.stack : String(exception),
        },
        'unhandled error',
      );
      body = { code: 'internal', message: 'internal error' };
    }
    if (res.headersSent) return;
    if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(status).json({ error: { ...body, requestId: req.requestId } });
  }
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    typeof (e as { type?: unknown }).type === 'string'
  );
}
