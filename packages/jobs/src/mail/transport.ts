import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { JobLogger } from '../port.js';

/** One mail as the transport sends it. */
export interface OutgoingMail {
  /** The outbox row: also the Message-ID's left part, so a retried mail keeps its id. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Files carried by the mail (a scheduled report's PDF). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/**
 * Where mails go. `smtp`: a mail server (SMTP_URL); `console`: the log (local and demo only,
 * no SMTP_URL); `disabled`: nowhere, with a reason (production without SMTP_URL: a mail with a
 * one-time link must never reach a log).
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'console' | 'disabled';
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** An SMTP answer that retrying cannot change (5xx: no such mailbox, refused sender, ...). */
export class PermanentMailError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentMailError';
  }
}

export interface SmtpOptions {
  /** Longest wait for the TCP connection, the greeting, and any one SMTP answer. */
  timeoutMs?: number;
}

/** nodemailer's options for `smtp://[user:pass@]host[:port]` / `smtps://...` (validated in config). */
export function smtpOptionsOf(smtpUrl: string, options: SmtpOptions = {}): SMTPTransport.Options {
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  const timeout = options.timeoutMs ?? 15_000;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username
      ? {
          auth: {
            user: decodeURIComponent(u.username),
            pass: decodeURIComponent(u.password),
          },
        }
      : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
}

/** Delivers through a mail server with nodemailer (one connection per mail, no pool). */
export class SmtpMailTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly domain: string;

  constructor(smtpUrl: string, options: SmtpOptions = {}) {
    this.transporter = nodemailer.createTransport(smtpOptionsOf(smtpUrl, options));
    this.domain = new URL(smtpUrl).hostname.replace(/^\[|\]$/g, '') || 'plumbline.local';
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const info = await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.attachments?.length
          ? {
              attachments: mail.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
              })),
            }
          : {}),
        messageId: `<${mail.id}@${this.domain}>`,
        // No tracking, no automatic replies to system mails.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      if (info.rejected.length)
        throw new PermanentMailError(`the server refused the recipient: ${info.response}`);
      return { messageId: info.messageId };
    } catch (e) {
      if (e instanceof PermanentMailError) throw e;
      const err = e as Error & { responseCode?: number; code?: string };
      const reason = [err.code, err.message].filter(Boolean).join(': ');
      if (err.responseCode && err.responseCode >= 500 && err.responseCode < 600)
        throw new PermanentMailError(reason, { cause: e });
      throw new Error(reason || 'SMTP delivery failed', { cause: e });
    }
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Local and demo mode (no SMTP_URL, NODE_ENV not production): the mail, links included, goes
 * to the log, and stays in the outbox for the development mailbox.
 */
export class ConsoleMailTransport implements MailTransport {
  readonly kind = 'console' as const;
  constructor(private readonly log: JobLogger) {}

  send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const messageId = `<${mail.id}@console.plumbline.local>`;
    // warn: the demo logs at warn, and a mail that was not sent deserves one.
    this.log.warn(
      {
        mail: {
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.attachments?.length
            ? {
                attachments: mail.attachments.map((a) => ({
                  filename: a.filename,
                  bytes: a.content.byteLength,
                })),
              }
            : {}),
        },
        messageId,
      },
      'MAIL (console transport, no SMTP_URL): not sent, shown here and at GET /v1/dev/mailbox',
    );
    return Promise.resolve({ messageId });
  }

  close(): void {}
}

/** Why a mail is not sent at all. */
export const MAIL_NOT_CONFIGURED =
  'SMTP_URL is not set: with NODE_ENV=production mails are neither sent nor logged';

/** Production without SMTP_URL: every mail fails with the reason, and nothing is logged. */
export class DisabledMailTransport implements MailTransport {
  readonly kind = 'disabled' as const;
  send(): Promise<{ messageId: string }> {
    return Promise.reject(new PermanentMailError(MAIL_NOT_CONFIGURED));
  }
  close(): void {}
}

export interface MailEnv {
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
  NODE_ENV: 'development' | 'test' | 'production';
}

/** The transport the environment asks for. */
export function mailTransportFromEnv(env: MailEnv, log: JobLogger): MailTransport {
  if (env.SMTP_URL) return new SmtpMailTransport(env.SMTP_URL);
  if (env.NODE_ENV === 'production') return new DisabledMailTransport();
  return new ConsoleMailTransport(log);
}
