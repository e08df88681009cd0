import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiEnv } from '@plumbline/config';
import type { Database } from '@plumbline/db';
import type { AgentlessSettings } from '@plumbline/jobs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { DomainErrorFilter } from './common/error-filter.js';
import { NestPinoLogger } from './common/logger.js';
import { API_PREFIXES, requestContext } from './common/request-context.js';
import { securityHeaders } from './common/security-headers.js';
import { DATABASE, METRICS } from './common/tokens.js';
import { writeFence } from './common/write-fence.js';
import type { ApiMetrics } from './metrics/metrics.js';
import type { TxtResolver } from './sso/sso.service.js';

/**
 * Build the HTTP app (used by main.ts and by the tests, so both run the same wiring).
 * `agentless`: settings instead of those derived from env (tests inject a DNS resolver).
 */
export async function createApp(
  env: ApiEnv,
  logger: Logger,
  options: { agentless?: AgentlessSettings; resolveTxt?: TxtResolver } = {},
): Promise<INestApplication> {
  const module = AppModule.forRoot(env, logger, options.agentless, options.resolveTxt);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    logger: new NestPinoLogger(logger.child({ component: 'nest' })),
  });
  app.disable('x-powered-by');
  // X-Forwarded-For/-Proto are believed only from the proxies listed in TRUST_PROXY (none by
  // default): otherwise any client could pick the address its sign-in attempts count against.
  app.set('trust proxy', [...env.TRUST_PROXY]);
  app.use(securityHeaders());
  app.use(requestContext(logger, app.get<symbol, ApiMetrics>(METRICS)));
  app.use(writeFence(app.get<symbol, Database>(DATABASE)));
  // Snapshots arrive raw (maybe gzip); the service decompresses them with its own limits.
  app.use(
    '/v1/snapshots',
    (req: Request, _res: Response, next: NextFunction) => {
      const enc = req.headers['content-encoding'];
      if (enc) {
        req.headers['x-plumbline-content-encoding'] = enc;
        delete req.headers['content-encoding'];
      }
      next();
    },
    express.raw({ type: () => true, limit: env.SNAPSHOT_MAX_COMPRESSED_MB * 1024 * 1024 }),
  );
  app.use(express.json({ limit: '1mb' }));
  app.useGlobalFilters(new DomainErrorFilter(logger));
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, close queue and database, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  if (env.WEB_DIST_DIR) serveWeb(app, resolve(env.WEB_DIST_DIR), logger);
  return app;
}

/** Serve the built single-page app on the same origin, with index.html for client routes. */
function serveWeb(app: NestExpressApplication, dir: string, logger: Logger): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dir }, 'WEB_DIST_DIR has no index.html; the web app is not served');
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || API_PREFIXES.some((p) => req.path.startsWith(p))) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
