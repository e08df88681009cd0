import { Inject, Injectable } from '@nestjs/common';
import type { OutboxEmailInput } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { enqueueEmail, type JobQueue } from '@plumbline/jobs';
import type { Logger } from 'pino';
import { DATABASE, JOB_QUEUE, LOGGER } from '../common/tokens.js';

/**
 * Send a mail from the API: `enqueue({organizationId | null, userId?, to, kind, subject, text,
 * html?})` writes it to the outbox and queues `email.send` (worker handlers use `enqueueEmail`
 * from @plumbline/jobs with their follow-up queue). Delivery, retries and the console mode are
 * the job's.
 */
@Injectable()
export class MailService {
  private readonly log: Logger;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'mail' });
  }

  enqueue(mail: OutboxEmailInput, requestId?: string): Promise<{ id: string }> {
    return enqueueEmail(
      this.db,
      (payload, options) => this.queue.enqueue('email.send', payload, options),
      mail,
      this.log,
      requestId,
    );
  }
}
