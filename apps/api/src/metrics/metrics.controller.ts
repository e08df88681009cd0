import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, METRICS } from '../common/tokens.js';
import { Doc } from '../openapi/doc.js';
import { bearerMatches } from '@plumbline/jobs';
import type { ApiMetrics } from './metrics.js';

/**
 * Prometheus scrape endpoint. Aggregates only (route templates, job names, queue names): no
 * organisation data. With METRICS_TOKEN set it needs `Authorization: Bearer <token>`; either way
 * it belongs on an internal network, not on the public ingress.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly metrics: ApiMetrics,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  @Get()
  @Doc({
    tag: 'health',
    auth: 'metrics',
    summary: 'Prometheus metrics (bearer METRICS_TOKEN when set; keep off public ingress)',
    produces: ['text/plain'],
  })
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (
      this.env.METRICS_TOKEN &&
      !bearerMatches(req.header('authorization'), this.env.METRICS_TOKEN)
    )
      throw new DomainError('unauthenticated', 'metrics need the METRICS_TOKEN bearer token');
    const body = await this.metrics.registry.metrics();
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).send(body);
  }
}
