import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Application-level encryption of cluster connection credentials (the ServiceAccount token and
 * the CA data): AES-256-GCM with a random 96-bit IV per value and a 128-bit tag.
 *
 * Layout: `[format 0x01][key id][IV 12][ciphertext][tag 16]`. The additional authenticated data
 * binds each value to its organisation, its connection and its column, so a ciphertext copied
 * into another organisation's row (or the token column into the CA column) fails to decrypt.
 * The key id lets keys rotate: new values use the keyring's first key, any listed key decrypts.
 */

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 2;

export interface SealingKey {
  /** 1-255, written into every ciphertext it produces. */
  id: number;
  /** 32 bytes. */
  key: Uint8Array;
}

/** Keys by id; `current` encrypts. */
export class Keyring {
  private readonly keys = new Map<number, Uint8Array>();
  readonly currentId: number;

  constructor(keys: readonly SealingKey[]) {
    if (!keys.length) throw new Error('a keyring needs at least one key');
    for (const k of keys) {
      if (!Number.isInteger(k.id) || k.id < 1 || k.id > 255)
        throw new Error(`key id ${k.id} is not between 1 and 255`);
      if (k.key.length !== 32) throw new Error(`key ${k.id} is not 32 bytes`);
      if (this.keys.has(k.id)) throw new Error(`key id ${k.id} appears twice`);
      this.keys.set(k.id, k.key);
    }
    this.currentId = keys[0]!.id;
  }

  key(id: number): Uint8Array | undefined {
    return this.keys.get(id);
  }
}

/** What a value is bound to: decrypting it anywhere else fails. */
export type SealContext =
  | { organizationId: string; connectionId: string; field: 'token' | 'caData' }
  /** The Standard Webhooks secret of an alert channel. */
  | { organizationId: string; channelId: string; field: 'webhookSecret' }
  /** The TOTP secret of a user's two-factor authentication (users are global: no organisation). */
  | { userId: string; field: 'totpSecret' }
  /** The OpenID Connect client secret of an organisation's single sign-on. */
  | { organizationId: string; field: 'ssoClientSecret' }
  /** The PKCE code verifier of one single sign-on attempt. */
  | { organizationId: string; attemptId: string; field: 'ssoCodeVerifier' };

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

function aad(header: Uint8Array, ctx: SealContext): Buffer {
  const text =
    ctx.field === 'totpSecret'
      ? `plumbline/user\0${ctx.userId}\0${ctx.field}`
      : ctx.field === 'ssoClientSecret'
        ? `plumbline/sso\0${ctx.organizationId}\0${ctx.field}`
        : ctx.field === 'ssoCodeVerifier'
          ? `plumbline/sso-attempt\0${ctx.organizationId}\0${ctx.attemptId}\0${ctx.field}`
          : ctx.field === 'webhookSecret'
            ? `plumbline/alert-channel\0${ctx.organizationId}\0${ctx.channelId}\0${ctx.field}`
            : `plumbline/cluster-connection\0${ctx.organizationId}\0${ctx.connectionId}\0${ctx.field}`;
  return Buffer.concat([header, Buffer.from(text, 'utf8')]);
}

export function sealSecret(
  keyring: Keyring,
  plaintext: string,
  ctx: SealContext,
): Uint8Array<ArrayBuffer> {
  const header = Uint8Array.of(FORMAT, keyring.currentId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.key(keyring.currentId)!, iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(aad(header, ctx));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const out = Buffer.concat([header, iv, body, cipher.getAuthTag()]);
  return new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
}

/** The key id a ciphertext was made with (to re-encrypt values made with an older key). */
export function sealedKeyId(sealed: Uint8Array): number | null {
  return sealed.length > HEADER_BYTES && sealed[0] === FORMAT ? sealed[1]! : null;
}

/** Decrypt; SealError (never the key or the value) when the key is missing or anything differs. */
export function openSecret(keyring: Keyring, sealed: Uint8Array, ctx: SealContext): string {
  if (sealed.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT)
    throw new SealError('the stored value is not in a known encrypted format');
  const keyId = sealed[1]!;
  const key = keyring.key(keyId);
  if (!key)
    throw new SealError(
      `the stored value was encrypted with key id ${keyId}, which is not in PLUMBLINE_ENCRYPTION_KEY`,
    );
  const header = sealed.subarray(0, HEADER_BYTES);
  const iv = sealed.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(HEADER_BYTES + IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(header, ctx));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError(
      'the stored value cannot be decrypted: wrong key, another organisation or connection, or altered bytes',
    );
  }
}
