import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { methodLabel, type ApiMetrics } from '../metrics/metrics.js';

declare module 'express' {
  interface Request {
    requestId?: string;
  }
}

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Paths the API answers (everything else is the web app, when it is served). */
export const API_PREFIXES = ['/v1/', '/healthz', '/readyz', '/metrics'];

/**
 * The route template a request matched (`/v1/orgs/:orgId/scans/:scanId`), never the raw path,
 * so metric labels stay few; `unmatched` for API paths no route took (404s, bodies refused
 * before routing), `web` for the web app's files.
 */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return API_PREFIXES.some((p) => req.path.startsWith(p)) ? 'unmatched' : 'web';
}

/**
 * Gives every request an id (kept from X-Request-Id when sane), echoes it, logs the outcome and
 * records its duration in the metrics.
 */
export function requestContext(logger: Logger, metrics?: ApiMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
    req.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      metrics?.observeRequest(methodLabel(req.method), routeLabel(req), res.statusCode, ms / 1000);
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      logger[level](
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
