import {
  inviteMail,
  passwordResetLink,
  passwordResetMail,
  verifyEmailLink,
  verifyEmailMail,
} from './account-mails.js';

const APP = 'https://plumbline.acme.test';
const TOKEN = 'AbC-123_xyzAbC-123_xyzAbC-123_xyzAbC-123_x';

describe('account mails', () => {
  it('put the token in the fragment of a link to the web app', () => {
    expect(passwordResetLink(APP, TOKEN)).toBe(`${APP}/reset-password#token=${TOKEN}`);
    expect(verifyEmailLink(APP, TOKEN)).toBe(`${APP}/verify-email#token=${TOKEN}`);
    for (const link of [passwordResetLink(APP, TOKEN), verifyEmailLink(APP, TOKEN)]) {
      const url = new URL(link);
      // What a server (and its access log) would see: no token.
      expect(url.origin + url.pathname + url.search).not.toContain(TOKEN);
    }
  });

  it('say how long the link works and carry it on a line of its own', () => {
    const reset = passwordResetMail(APP, TOKEN, 30);
    expect(reset.subject).toBe('Reset your Plumbline password');
    expect(reset.text).toContain('for 30 minutes');
    expect(reset.text.split('\n')).toContain(`${APP}/reset-password#token=${TOKEN}`);
    const verify = verifyEmailMail(APP, TOKEN, 'Ada', 24);
    expect(verify.text).toMatch(/^Hello Ada,/);
    expect(verify.text).toContain('for 24 hours');
  });

  it('keep user-chosen names on one line (no header or line injection)', () => {
    const mail = inviteMail(APP, TOKEN, {
      organizationName: 'Acme\r\nBcc: victim@example.com',
      inviterName: 'Eve\nClick here: http://evil.test',
      role: 'member',
      days: 7,
    });
    expect(mail.subject).toBe('You are invited to Acme Bcc: victim@example.com on Plumbline');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text.split('\n')[0]).toBe(
      'Eve Click here: http://evil.test invited you to join Acme Bcc: victim@example.com on Plumbline as member.',
    );
    expect(mail.text).toContain(`${APP}/invite#${TOKEN}`);
    const verify = verifyEmailMail(APP, TOKEN, 'Mallory\u2028Line', 24);
    expect(verify.text.split('\n')[0]).toBe('Hello Mallory Line,');
  });
});
