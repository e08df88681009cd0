import {
  ONE_TIME_LINK_KINDS,
  outboxEmailInputSchema,
  type JobPayload,
  type OutboxEmailInput,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import {
  PermanentJobError,
  RETRY_POLICY,
  type JobContext,
  type JobHandler,
  type JobLogger,
} from '../port.js';
import { PermanentMailError, type MailAttachment, type MailTransport } from './transport.js';

/** Job id of a mail's delivery, shared by the enqueue and the reconciler. */
export const emailJobId = (emailId: string): string => `email-${emailId}`;

/** How long one delivery run holds its row (longer than any SMTP exchange it may wait for). */
export const MAIL_LEASE_MS = 120_000;

/** Puts `email.send` on the queue (the API's JobQueue, or a handler's FollowUp). */
export type EmailJobSender = (
  payload: JobPayload<'email.send'>,
  options: { jobId: string; requestId?: string | undefined },
) => Promise<unknown>;

/**
 * Put one mail in the outbox and queue its delivery. The input is validated (422-worthy
 * problems throw the contract's error before anything is written). When the queue cannot take
 * the job (Redis down), the row stays queued and the worker's reconciler queues it later: the
 * caller's request does not fail for it.
 */
export async function enqueueEmail(
  db: Database,
  send: EmailJobSender,
  input: OutboxEmailInput,
  log: JobLogger,
  requestId?: string,
): Promise<{ id: string }> {
  const mail = outboxEmailInputSchema.parse(input);
  const row = await db.outbox.create({
    organizationId: mail.organizationId,
    userId: mail.userId ?? null,
    to: mail.to,
    kind: mail.kind,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? null,
    reportId: mail.reportId ?? null,
  });
  // A mail carrying a report is queued by report.render once the PDF is printed (or failed).
  if (mail.reportId) return { id: row.id };
  try {
    await send({ emailId: row.id }, { jobId: emailJobId(row.id), requestId });
  } catch (e) {
    log.warn(
      { emailId: row.id, kind: mail.kind, err: (e as Error).message },
      'mail queued in the outbox only (the queue refused the job); the reconciler queues it',
    );
  }
  return { id: row.id };
}

/** What a mail carrying a report gets: the PDF, or a note why there is none. */
interface ReportAttachment {
  file?: MailAttachment;
  note?: string;
}

/**
 * The report a mail carries: `waiting` while it is being printed, null when the mail carries
 * none. A failed (or deleted) report is mailed without the PDF, saying so.
 */
async function reportAttachment(
  db: Database,
  emailId: string,
): Promise<ReportAttachment | 'waiting' | null> {
  const row = await db.outbox.get(emailId);
  if (!row?.reportId || !row.organizationId || row.status !== 'queued') return null;
  const report = await db.reports.get(row.organizationId, row.reportId);
  if (!report) return { note: 'The report was deleted before it could be attached.' };
  if (report.status === 'queued' || report.status === 'rendering') return 'waiting';
  const pdf =
    report.status === 'ready' ? await db.reports.pdf(row.organizationId, report.id) : null;
  if (!pdf)
    return {
      note: 'The PDF could not be printed this time; open the link to print it again.',
    };
  const day = report.createdAt.toISOString().slice(0, 10);
  return {
    file: { filename: `plumbline-report-${day}.pdf`, contentType: 'application/pdf', content: pdf },
  };
}

/**
 * `email.send` {emailId}: deliver one outbox row. A row that is sent (or failed for good) is
 * never sent again, so a job run twice sends one mail; two runs at once cannot both take the row
 * (a lease). Each attempt is counted on the row with its error; a 5xx answer or a missing
 * configuration fails at once, other errors are retried with back-off, and the last one marks
 * the row failed. Delivered mails carrying a one-time link lose their body.
 */
export function emailSendHandler(
  db: Database,
  transport: MailTransport,
  from: string,
): JobHandler<'email.send'> {
  const fail = async (
    emailId: string,
    err: Error,
    final: boolean,
    ctx: Pick<JobContext, 'log'>,
  ) => {
    await db.outbox.markFailed(emailId, err.message, final);
    ctx.log.warn({ emailId, final, err: err.message }, 'mail not delivered');
  };
  return {
    name: 'email.send',
    async run({ payload }, ctx) {
      const { emailId } = payload;
      const attachment = await reportAttachment(db, emailId);
      if (attachment === 'waiting') {
        // report.render queues this mail again when the PDF is printed (or has failed).
        ctx.log.info({ emailId }, 'mail waits for its report');
        return;
      }
      const mail = await db.outbox.claim(emailId, MAIL_LEASE_MS);
      if (!mail) {
        const row = await db.outbox.get(emailId);
        if (!row) throw new PermanentJobError(`mail ${emailId} not found`);
        // Sent, failed for good, or being sent by another run right now: nothing to do.
        ctx.log.info({ emailId, status: row.status }, 'mail not sent again');
        return;
      }
      try {
        const { messageId } = await transport.send({
          id: mail.id,
          from,
          to: mail.to,
          subject: mail.subject,
          text: attachment?.note ? `${mail.text}\n${attachment.note}\n` : mail.text,
          html: mail.html,
          ...(attachment?.file ? { attachments: [attachment.file] } : {}),
        });
        const removeBody = transport.kind === 'smtp' && ONE_TIME_LINK_KINDS.includes(mail.kind);
        await db.outbox.markSent(emailId, messageId, removeBody);
        ctx.log.info(
          { emailId, kind: mail.kind, transport: transport.kind, attempts: mail.attempts },
          'mail sent',
        );
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const permanent = err instanceof PermanentMailError;
        await fail(emailId, err, permanent || ctx.attempt >= RETRY_POLICY.attempts, ctx);
        throw permanent ? new PermanentJobError(err.message) : err;
      }
    },
    async onFinalFailure({ payload }, err) {
      // Usually marked already by the last attempt; this covers a failure outside `send`.
      await db.outbox.markFailed(payload.emailId, err.message, true);
    },
  };
}
