import { dictionary } from '@zxcvbn-ts/language-common';
import { randomBytes } from 'node:crypto';
import { passwordProblem } from './password-policy.js';

/** The password policy over generated variations of the common passwords, not a few examples. */
const TOP = dictionary['passwords-common'].slice(0, 500).filter((p) => /^[a-z]{4,}$/i.test(p));

describe('passwordProblem', () => {
  it('refuses the most common passwords with digits and symbols around them, in any case', () => {
    expect(TOP.length).toBeGreaterThan(200);
    const accepted: string[] = [];
    for (const p of TOP) {
      const pad = '1'.repeat(Math.max(0, 12 - p.length));
      for (const v of [
        `${p}${pad}`,
        `${p.toUpperCase()}2024!${pad}`,
        `!!${p[0]!.toUpperCase()}${p.slice(1)}123456789`,
        `${p}-${p}-${p}`,
      ])
        if (passwordProblem(v) === null) accepted.push(v);
    }
    expect(accepted).toEqual([]);
  });

  it('refuses short passwords, one repeated piece, and the account’s own email', () => {
    expect(passwordProblem('n7#Vq!2xLp@')).toMatch(/at least 12 characters/);
    expect(passwordProblem('xyzwxyzwxyzw')).toMatch(/too common/);
    expect(passwordProblem('ada.lovelace@example.com', 'Ada.Lovelace@example.com')).toMatch(
      /email/,
    );
    expect(passwordProblem('ada.lovelace', 'ada.lovelace@example.com')).toMatch(/email/);
  });

  it('accepts random and passphrase passwords', () => {
    for (let i = 0; i < 200; i++)
      expect(passwordProblem(randomBytes(12).toString('base64url'), 'x@example.com')).toBeNull();
    for (const p of ['correct horse battery', 'Zebra piano 1987 lantern', 'plumbline-demo'])
      expect(passwordProblem(p, 'someone@example.com')).toBeNull();
  });
});
