import {
  attemptCookie,
  emailDomain,
  failureLocation,
  safeReturnTo,
  ssoRedirectUri,
  txtMatches,
  txtRecordName,
  txtRecordValue,
} from './sso-helpers.js';

describe('single sign-on helpers', () => {
  it('emailDomain: lower case, last @, no trailing dot', () => {
    expect(emailDomain('Dave@Acme.TEST')).toBe('acme.test');
    expect(emailDomain('"a@b"@acme.test.')).toBe('acme.test');
    expect(emailDomain('nobody')).toBe('');
  });

  it('safeReturnTo: app paths only, never another origin', () => {
    expect(safeReturnTo('/o/acme')).toBe('/o/acme');
    for (const bad of ['//evil.test', '/\\evil.test', 'https://evil.test', 'o/acme', '/a b', ''])
      expect([bad, safeReturnTo(bad)]).toEqual([bad, null]);
    expect(safeReturnTo(undefined)).toBeNull();
  });

  it('TXT records: name, value, chunks joined', () => {
    expect(txtRecordName('acme.test')).toBe('_plumbline-verification.acme.test');
    const v = txtRecordValue('abc');
    expect(txtMatches([['other'], ['plumbline-verif', 'ication=abc']], v)).toBe(true);
    expect(txtMatches([['plumbline-verification=abcd']], v)).toBe(false);
  });

  it('URLs and the attempt cookie', () => {
    expect(ssoRedirectUri('https://app.test')).toBe('https://app.test/v1/auth/sso/callback');
    expect(failureLocation('https://app.test', 'state_invalid')).toBe(
      'https://app.test/signin?sso_error=state_invalid',
    );
    const c = attemptCookie('v', 600, true);
    expect(c).toContain('HttpOnly');
    expect(c).toContain('SameSite=Lax');
    expect(c).toContain('Path=/v1/auth/sso');
    expect(c).toContain('Secure');
  });
});
