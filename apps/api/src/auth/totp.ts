import { openSecret, sealSecret, type Keyring } from '@plumbline/jobs';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/**
 * TOTP (RFC 6238) as authenticator apps expect it: SHA-1, 6 digits, 30-second steps, a 160-bit
 * secret. A code is accepted for the current step and one step either side (clock drift); the
 * step it matched is returned, so the caller can refuse a step used before (replay).
 */
export const TOTP_ISSUER = 'Plumbline';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
const WINDOW = 1;

function totp(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** A new random secret, base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI and its QR code (an SVG data: URL rendered here, not in the browser). */
export async function enrolment(secretBase32: string, account: string) {
  const uri = totp(secretBase32, account).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    otpauthUri: uri,
    secret: secretBase32,
    qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`,
    issuer: TOTP_ISSUER,
    digits: TOTP_DIGITS,
    periodSeconds: TOTP_PERIOD_SECONDS,
  };
}

/** The time step `code` is valid for (within the window), or null. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now }) + delta;
}

/** Seal a user's TOTP secret the way cluster credentials are sealed (bound to the user). */
export function sealTotpSecret(keyring: Keyring, userId: string, secretBase32: string) {
  return sealSecret(keyring, secretBase32, { userId, field: 'totpSecret' });
}

export function openTotpSecret(keyring: Keyring, userId: string, sealed: Uint8Array): string {
  return openSecret(keyring, sealed, { userId, field: 'totpSecret' });
}
