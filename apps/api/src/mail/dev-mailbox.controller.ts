import { Controller, Get, Inject } from '@nestjs/common';
import type { DevMail } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { DATABASE } from '../common/tokens.js';
import { Doc } from '../openapi/doc.js';

/** How many mails the development mailbox shows. */
export const DEV_MAILBOX_SIZE = 50;

/**
 * The development mailbox: the newest outbox mails, links included, so someone running the demo
 * can open them. Registered only without SMTP_URL and with NODE_ENV other than production (see
 * AppModule); never part of the OpenAPI document of a real deployment.
 */
@Controller('v1/dev')
export class DevMailboxController {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  @Get('mailbox')
  @Doc({
    tag: 'development',
    auth: 'public',
    summary: 'Development only (no SMTP_URL, NODE_ENV not production): the newest mails',
  })
  async mailbox(): Promise<{ items: DevMail[] }> {
    const rows = await this.db.outbox.newest(DEV_MAILBOX_SIZE);
    return {
      items: rows.map((m) => ({
        id: m.id,
        to: m.to,
        kind: m.kind,
        subject: m.subject,
        text: m.text,
        status: m.status,
        createdAt: m.createdAt.toISOString(),
        sentAt: m.sentAt?.toISOString() ?? null,
      })),
    };
  }
}
