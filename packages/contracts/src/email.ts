import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from './api.js';
import { text } from './text.js';

/**
 * Mail: the outbox's kinds and the input of `MailService.enqueue` (API) / `enqueueEmail` (jobs),
 * and the request bodies of the account mail flows (password reset, email verification).
 */

/** What a mail is for (stored as verify-email, password-reset, ... in PostgreSQL). */
export const EMAIL_KINDS = [
  'verify_email',
  'password_reset',
  'invite',
  'alert',
  'report',
  'test',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
/** Kinds whose mail carries a one-time link: their body is removed once delivered by SMTP. */
export const ONE_TIME_LINK_KINDS: readonly EmailKind[] = [
  'verify_email',
  'password_reset',
  'invite',
];

export const EMAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Bounds of a mail (the outbox refuses anything larger before it is written). */
export const EMAIL_LIMITS = { subject: 200, text: 100_000, html: 500_000 } as const;

const address = z.email().max(254);

/** One mail to put in the outbox. `organizationId`/`userId`: what it is about (deleted with it). */
export const outboxEmailInputSchema = z
  .object({
    organizationId: z.uuid().nullable(),
    userId: z.uuid().nullable().optional(),
    to: address,
    kind: z.enum(EMAIL_KINDS),
    // A subject is one header line: no CR/LF (no header injection).
    subject: text()
      .trim()
      .min(1)
      .max(EMAIL_LIMITS.subject)
      .regex(/^[^\r\n]*$/, 'the subject must be one line'),
    text: text().min(1).max(EMAIL_LIMITS.text),
    html: text().max(EMAIL_LIMITS.html).nullable().optional(),
    /** A report of the same organisation whose PDF the mail carries, once printed. */
    reportId: z.uuid().nullable().optional(),
  })
  .strict()
  .refine((m) => !m.reportId || m.organizationId !== null, {
    message: "a mail carrying a report belongs to the report's organisation",
    path: ['reportId'],
  });
export type OutboxEmailInput = z.input<typeof outboxEmailInputSchema>;

/** Lifetime of a password-reset link. */
export const PASSWORD_RESET_TTL_MINUTES = 30;
/** Lifetime of an email-verification link. */
export const VERIFY_EMAIL_TTL_HOURS = 24;

const email = address.transform((e) => e.toLowerCase());
/** A one-time token as mailed (base64url of 32 random bytes); bounds only, checked by hash. */
const oneTimeToken = text()
  .trim()
  .min(10, 'the token is too short')
  .max(200, 'the token is too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'the token has characters a mailed token never has');

export const passwordResetRequestSchema = z.object({ email }).strict();
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;

export const passwordResetConfirmSchema = z
  .object({
    token: oneTimeToken,
    password: text()
      .min(PASSWORD_MIN_LENGTH, `password must have at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(200),
  })
  .strict();
export type PasswordResetConfirm = z.infer<typeof passwordResetConfirmSchema>;

export const verifyEmailRequestSchema = z.object({ token: oneTimeToken }).strict();
export type VerifyEmailRequest = z.infer<typeof verifyEmailRequestSchema>;

/** The one answer of POST /v1/auth/password-reset, whether or not the email has an account. */
export const passwordResetAcceptedSchema = z
  .object({ status: z.literal('accepted'), expiresInMinutes: z.number().int() })
  .strict();
export type PasswordResetAccepted = z.infer<typeof passwordResetAcceptedSchema>;

/** A mail as the development mailbox (GET /v1/dev/mailbox) shows it. */
export const devMailSchema = z.object({
  id: z.string(),
  to: z.string(),
  kind: z.enum(EMAIL_KINDS),
  subject: z.string(),
  text: z.string(),
  status: z.enum(EMAIL_STATUSES),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type DevMail = z.infer<typeof devMailSchema>;
