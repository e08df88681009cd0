import {
  ConsoleMailTransport,
  DisabledMailTransport,
  MAIL_NOT_CONFIGURED,
  mailTransportFromEnv,
  PermanentMailError,
  SmtpMailTransport,
  smtpOptionsOf,
} from './transport.js';
import type { JobLogger } from '../port.js';

const lines: { obj: Record<string, unknown>; msg: string }[] = [];
const log: JobLogger = {
  info: (obj, msg) => lines.push({ obj, msg }),
  warn: (obj, msg) => lines.push({ obj, msg }),
  error: (obj, msg) => lines.push({ obj, msg }),
};

describe('mail transports', () => {
  it('reads an SMTP URL into nodemailer options (ports, TLS, decoded credentials)', () => {
    expect(smtpOptionsOf('smtp://mail.example.com')).toMatchObject({
      host: 'mail.example.com',
      port: 587,
      secure: false,
    });
    expect(smtpOptionsOf('smtp://mail.example.com').auth).toBeUndefined();
    expect(smtpOptionsOf('smtps://u%40x.test:p%40ss%3Aword@mail.example.com')).toMatchObject({
      port: 465,
      secure: true,
      auth: { user: 'u@x.test', pass: 'p@ss:word' },
    });
    expect(smtpOptionsOf('smtp://[::1]:2525', { timeoutMs: 1234 })).toMatchObject({
      host: '::1',
      port: 2525,
      connectionTimeout: 1234,
      greetingTimeout: 1234,
      socketTimeout: 1234,
    });
  });

  it('picks SMTP with SMTP_URL, the console locally, and nothing in production', () => {
    expect(
      mailTransportFromEnv(
        { SMTP_URL: 'smtp://x.test', MAIL_FROM: 'a@b.c', NODE_ENV: 'production' },
        log,
      ),
    ).toBeInstanceOf(SmtpMailTransport);
    expect(
      mailTransportFromEnv({ MAIL_FROM: 'a@b.c', NODE_ENV: 'development' }, log),
    ).toBeInstanceOf(ConsoleMailTransport);
    expect(
      mailTransportFromEnv({ MAIL_FROM: 'a@b.c', NODE_ENV: 'production' }, log),
    ).toBeInstanceOf(DisabledMailTransport);
  });

  it('the console logs the mail with its link; the disabled transport refuses with the reason', async () => {
    const mail = {
      id: 'm-1',
      from: 'a@b.c',
      to: 'ada@example.com',
      subject: 'Hi',
      text: 'https://app.test/reset-password#token=abc',
    };
    const sent = await new ConsoleMailTransport(log).send(mail);
    expect(sent.messageId).toBe('<m-1@console.plumbline.local>');
    expect(JSON.stringify(lines.at(-1))).toContain('reset-password#token=abc');
    const before = lines.length;
    await expect(new DisabledMailTransport().send()).rejects.toEqual(
      new PermanentMailError(MAIL_NOT_CONFIGURED),
    );
    expect(lines).toHaveLength(before);
  });
});
