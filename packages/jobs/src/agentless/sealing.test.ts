import { randomBytes } from 'node:crypto';
import {
  Keyring,
  openSecret as open,
  SealError,
  sealedKeyId,
  sealSecret as seal,
  type SealContext,
} from './sealing.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-service-account-token.signature';
const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';
const CONN = '33333333-3333-4333-8333-333333333333';
const ctx: SealContext = { organizationId: ORG_A, connectionId: CONN, field: 'token' };

const keyA = { id: 1, key: randomBytes(32) };
const keyB = { id: 2, key: randomBytes(32) };

describe('credential sealing (AES-256-GCM)', () => {
  it('round-trips, with a fresh IV each time and no plaintext in the bytes', () => {
    const ring = new Keyring([keyA]);
    const one = seal(ring, TOKEN, ctx);
    const two = seal(ring, TOKEN, ctx);
    expect(open(ring, one, ctx)).toBe(TOKEN);
    expect(open(ring, two, ctx)).toBe(TOKEN);
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(false);
    expect(Buffer.from(one).includes(Buffer.from(TOKEN))).toBe(false);
    expect(Buffer.from(one).includes(Buffer.from('fake-service-account'))).toBe(false);
    // format byte, key id, 12-byte IV, ciphertext, 16-byte tag
    expect(one.length).toBe(2 + 12 + Buffer.byteLength(TOKEN) + 16);
    expect(sealedKeyId(one)).toBe(1);
  });

  it('fails for another organisation, another connection or another column', () => {
    const ring = new Keyring([keyA]);
    const sealed = seal(ring, TOKEN, ctx);
    for (const other of [
      { ...ctx, organizationId: ORG_B },
      { ...ctx, connectionId: ORG_B },
      { ...ctx, field: 'caData' as const },
    ])
      expect(() => open(ring, sealed, other)).toThrow(SealError);
  });

  it('fails when any byte is altered (header, IV, ciphertext or tag)', () => {
    const ring = new Keyring([keyA, { id: 7, key: keyA.key }]);
    const sealed = seal(ring, TOKEN, ctx);
    for (const i of [1, 2, 14, 20, sealed.length - 1]) {
      const tampered = new Uint8Array(sealed);
      tampered[i]! ^= 0x01;
      expect(() => open(ring, tampered, ctx)).toThrow(SealError);
    }
    expect(() => open(ring, sealed.subarray(0, 20), ctx)).toThrow(SealError);
  });

  it('fails with the wrong key, and says so without showing a key or the value', () => {
    const sealed = seal(new Keyring([keyA]), TOKEN, ctx);
    const wrong = new Keyring([{ id: 1, key: randomBytes(32) }]);
    const err = (() => {
      try {
        open(wrong, sealed, ctx);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(err).toBeInstanceOf(SealError);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).not.toContain(keyA.key.toString('base64'));
    expect(() => open(new Keyring([keyB]), sealed, ctx)).toThrow(/key id 1, which is not in/);
  });

  it('rotates: the first key encrypts, older keys still decrypt', () => {
    const old = seal(new Keyring([keyA]), TOKEN, ctx);
    const rotated = new Keyring([keyB, keyA]);
    expect(open(rotated, old, ctx)).toBe(TOKEN);
    const fresh = seal(rotated, TOKEN, ctx);
    expect(sealedKeyId(fresh)).toBe(2);
    expect(() => open(new Keyring([keyA]), fresh, ctx)).toThrow(SealError);
  });

  it('refuses bad keyrings', () => {
    expect(() => new Keyring([])).toThrow();
    expect(() => new Keyring([{ id: 1, key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new Keyring([keyA, { ...keyB, id: 1 }])).toThrow(/twice/);
    expect(() => new Keyring([{ id: 256, key: randomBytes(32) }])).toThrow(/between 1 and 255/);
  });
});
