import { Module, type DynamicModule } from '@nestjs/common';
import type { WorkerEnv } from '@plumbline/config';
import type { Logger } from 'pino';
import { WORKER_ENV, WORKER_LOGGER, WORKER_VERSION } from './tokens.js';
import { WorkerService } from './worker.service.js';

/** The worker is a Nest application context: providers only, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(
    env: WorkerEnv & { REDIS_URL: string },
    logger: Logger,
    version: string,
  ): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: WORKER_ENV, useValue: env },
        { provide: WORKER_LOGGER, useValue: logger },
        { provide: WORKER_VERSION, useValue: version },
        WorkerService,
      ],
      exports: [WorkerService],
    };
  }
}
