import {
  generateScannerToken,
  hashPassword,
  hashScannerToken,
  SCANNER_TOKEN_PREFIX,
  verifyPassword,
} from './credentials.js';

describe('scanner tokens', () => {
  it('are random, prefixed, and hashed deterministically', () => {
    const a = generateScannerToken();
    const b = generateScannerToken();
    expect(a).not.toBe(b);
    expect(a.startsWith(SCANNER_TOKEN_PREFIX)).toBe(true);
    expect(a.length).toBeGreaterThanOrEqual(36);
    expect(hashScannerToken(a)).toBe(hashScannerToken(a));
    expect(hashScannerToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashScannerToken(a)).not.toContain(a.slice(4));
  });
});

describe('passwords', () => {
  it('verify only the right password, with a salted hash that never contains it', async () => {
    const h1 = await hashPassword('correct horse battery');
    const h2 = await hashPassword('correct horse battery');
    expect(h1).not.toBe(h2); // salted
    expect(h1).toMatch(/^scrypt\$N=16384,r=8,p=1\$/);
    expect(h1).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', h1)).toBe(true);
    expect(await verifyPassword('correct horse batterz', h1)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });
});
