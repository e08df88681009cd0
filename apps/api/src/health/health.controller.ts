import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import {
  livenessSchema,
  readinessSchema,
  type Liveness,
  type Readiness,
} from '@plumbline/contracts';
import type { Response } from 'express';
import { API_VERSION } from '../version.js';
import { HealthService } from './health.service.js';
import { Doc } from '../openapi/doc.js';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process answers. No dependencies are checked. */
  @Get('healthz')
  @Doc({
    tag: 'health',
    auth: 'public',
    summary: 'Liveness: the process answers',
    response: livenessSchema,
  })
  @HttpCode(200)
  healthz(): Liveness {
    return { status: 'ok', version: API_VERSION };
  }

  /** Readiness: database, Redis and worker. 503 when something required is down. */
  @Get('readyz')
  @Doc({
    tag: 'health',
    auth: 'public',
    summary: 'Readiness: database, queue and worker checks (503 when not ready)',
    response: readinessSchema,
  })
  async readyz(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const r = await this.health.readiness();
    res.status(r.status === 'down' ? 503 : 200);
    return r;
  }
}
