import { z } from 'zod';
import { text } from './text.js';

/**
 * Two-factor authentication (TOTP, RFC 6238) of password users: enrolment, sign-in with a code
 * or a single-use recovery code, and the organisation switch that requires it.
 */

/** Minutes a sign-in challenge (the password was right, the code is still to come) lasts. */
export const MFA_CHALLENGE_TTL_MINUTES = 5;
/** What a member of an organisation requiring two-factor authentication is told (403). */
export const MFA_REQUIRED_MESSAGE =
  'this organisation requires two-factor authentication: set it up in your account settings';

/** A 6-digit code of an authenticator app (spaces allowed, as apps show `123 456`). */
export const totpCode = text()
  .max(20)
  .transform((c) => c.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'the code has 6 digits'));
/** A recovery code as given (`XXXX-XXXX-XXXX-XXXX`, case and separators are ignored). */
export const recoveryCode = text()
  .max(40)
  .regex(/^[0-9A-Za-z\s-]+$/, 'a recovery code has letters, digits and dashes');

export const mfaConfirmRequestSchema = z.object({ code: totpCode }).strict();
export type MfaConfirmRequest = z.infer<typeof mfaConfirmRequestSchema>;

/**
 * The current second factor: a code of the active authenticator app (never accepted twice) or
 * an unused recovery code (spent by the request). Spread into a strict object, then refined
 * with `exactlyOneFactor` (or `atMostOneFactor` where it may be left out).
 */
export const secondFactorFields = {
  code: totpCode.optional(),
  recoveryCode: recoveryCode.optional(),
};
type FactorFields = { code?: string | undefined; recoveryCode?: string | undefined };
const EITHER = { message: 'send either code or recoveryCode', path: ['code'] };
const exactlyOneFactor = (b: FactorFields) =>
  (b.code === undefined) !== (b.recoveryCode === undefined);
const atMostOneFactor = (b: FactorFields) => b.code === undefined || b.recoveryCode === undefined;

/** `{ code }` or `{ recoveryCode }`: the current second factor, confirming a sensitive change. */
export const mfaSecondFactorSchema = z
  .object(secondFactorFields)
  .strict()
  .refine(exactlyOneFactor, EITHER);
export type MfaSecondFactor = z.infer<typeof mfaSecondFactorSchema>;

/**
 * `POST /v1/me/mfa/enrol`: empty while two-factor authentication is off; while it is on, the
 * current second factor (so a session alone cannot move it to another device).
 */
export const mfaEnrolRequestSchema = z
  .object(secondFactorFields)
  .strict()
  .refine(atMostOneFactor, EITHER);
export type MfaEnrolRequest = z.infer<typeof mfaEnrolRequestSchema>;

/** `POST /v1/me/mfa/disable`: the password and the current second factor. */
export const mfaDisableRequestSchema = z
  .object({ password: text().min(1).max(200), ...secondFactorFields })
  .strict()
  .refine(exactlyOneFactor, EITHER);
export type MfaDisableRequest = z.infer<typeof mfaDisableRequestSchema>;

/** `POST /v1/me/mfa/recovery-codes`: the current second factor. */
export const mfaRecoveryCodesRequestSchema = mfaSecondFactorSchema;
export type MfaRecoveryCodesRequest = MfaSecondFactor;

/** `POST /v1/auth/login/mfa`: the challenge of the login answer and a code or a recovery code. */
export const mfaLoginRequestSchema = z
  .object({ challenge: text().min(20).max(200), ...secondFactorFields })
  .strict()
  .refine(exactlyOneFactor, EITHER);
export type MfaLoginRequest = z.infer<typeof mfaLoginRequestSchema>;

/** `PUT /v1/orgs/:orgId/security`. */
export const orgSecuritySettingsSchema = z.object({ requireMfa: z.boolean() }).strict();
export type OrgSecuritySettings = z.infer<typeof orgSecuritySettingsSchema>;

/** `POST /v1/auth/login` for an account with two-factor authentication: no session yet. */
export const mfaChallengeResponseSchema = z.object({
  status: z.literal('mfa_required'),
  /** Single use, valid MFA_CHALLENGE_TTL_MINUTES; send it to `POST /v1/auth/login/mfa`. */
  challenge: z.string().min(1),
  expiresInSeconds: z.number().int().positive(),
});
export type MfaChallengeResponse = z.infer<typeof mfaChallengeResponseSchema>;

/** `POST /v1/me/mfa/enrol`: the pending secret, to scan or type into an authenticator app. */
export const mfaEnrolmentResponseSchema = z.object({
  /** otpauth://totp/... (the QR code encodes it). */
  otpauthUri: z.string(),
  /** The base32 secret, for typing in by hand. */
  secret: z.string(),
  /** SVG of the QR code, as a data: URL. */
  qrSvgDataUrl: z.string(),
  issuer: z.string(),
  digits: z.number().int(),
  periodSeconds: z.number().int(),
});
export type MfaEnrolmentResponse = z.infer<typeof mfaEnrolmentResponseSchema>;

/** `POST /v1/me/mfa/confirm` and `/recovery-codes`: the codes, shown once. */
export const mfaRecoveryCodesResponseSchema = z.object({
  mfaEnabled: z.literal(true),
  recoveryCodes: z.array(z.string()),
});
export type MfaRecoveryCodesResponse = z.infer<typeof mfaRecoveryCodesResponseSchema>;

/** `GET /v1/me/mfa`. */
export const mfaStatusResponseSchema = z.object({
  mfaEnabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
  /** Organisations of the user that require it (disabling is refused while there is one). */
  requiredBy: z.array(z.string()),
});
export type MfaStatusResponse = z.infer<typeof mfaStatusResponseSchema>;
