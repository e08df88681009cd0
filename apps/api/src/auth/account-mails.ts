/**
 * The account mails, as plain text: each carries one link to the web app whose token is in the
 * URL fragment (`#token=...`), which browsers never send to a server, so it stays out of access
 * logs and Referer headers.
 */

export interface MailContent {
  subject: string;
  text: string;
}

const signature =
  '\n-- \nPlumbline\nYou get this mail because of an action on your Plumbline account.\n';

export function passwordResetLink(appUrl: string, token: string): string {
  return `${appUrl}/reset-password#token=${token}`;
}

export function verifyEmailLink(appUrl: string, token: string): string {
  return `${appUrl}/verify-email#token=${token}`;
}

export function inviteLink(appUrl: string, token: string): string {
  return `${appUrl}/invite#${token}`;
}

export function passwordResetMail(appUrl: string, token: string, minutes: number): MailContent {
  return {
    subject: 'Reset your Plumbline password',
    text:
      `Someone (we hope you) asked to reset the password of this Plumbline account.\n\n` +
      `Choose a new password here (the link works once, for ${minutes} minutes):\n\n` +
      `${passwordResetLink(appUrl, token)}\n\n` +
      `Setting a new password signs the account out everywhere. ` +
      `If you did not ask for this, ignore this mail: your password stays as it is.\n` +
      signature,
  };
}

export function verifyEmailMail(
  appUrl: string,
  token: string,
  name: string,
  hours: number,
): MailContent {
  return {
    subject: 'Confirm your email address for Plumbline',
    text:
      `Hello ${oneLine(name)},\n\n` +
      `Please confirm that this is your email address (the link works once, for ${hours} hours):\n\n` +
      `${verifyEmailLink(appUrl, token)}\n\n` +
      `If you did not sign up for Plumbline, ignore this mail.\n` +
      signature,
  };
}

export function inviteMail(
  appUrl: string,
  token: string,
  invite: { organizationName: string; inviterName: string; role: string; days: number },
): MailContent {
  const org = oneLine(invite.organizationName);
  return {
    subject: `You are invited to ${org} on Plumbline`,
    text:
      `${oneLine(invite.inviterName)} invited you to join ${org} on Plumbline as ${invite.role}.\n\n` +
      `Accept the invitation here (the link works once, for ${invite.days} days):\n\n` +
      `${inviteLink(appUrl, token)}\n\n` +
      `If you do not know why you got this, ignore this mail.\n` +
      signature,
  };
}

/** User-chosen names on one line (a subject is one header line; a body line stays a line). */
function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}
