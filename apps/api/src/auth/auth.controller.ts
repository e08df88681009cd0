import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import {
  acceptInviteRequestSchema,
  loginRequestSchema,
  mfaLoginRequestSchema,
  passwordResetAcceptedSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  signupRequestSchema,
  signupResponseSchema,
  verifyEmailRequestSchema,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import type { Response } from 'express';
import { Doc } from '../openapi/doc.js';
import { DomainError } from '../common/domain-error.js';
import { parseBody } from '../common/validate.js';
import { API_ENV, DATABASE } from '../common/tokens.js';
import { AuthCache } from './auth-cache.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { SessionGuard } from './guards.js';
import { authOf, type AuthedRequest } from './request-auth.js';
import { withRetryAfter } from './retry-after.js';

@Controller('v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(DATABASE) private readonly db: Database,
    private readonly cache: AuthCache,
  ) {}

  private send(res: Response, s: SignedIn) {
    res.setHeader(
      'Set-Cookie',
      sessionCookie(
        s.cookieValue,
        Math.floor(this.auth.sessionTtlMs / 1000),
        this.env.NODE_ENV === 'production',
      ),
    );
    return {
      user: {
        id: s.user.id,
        email: s.user.email,
        name: s.user.name,
        emailVerified: s.user.emailVerifiedAt !== null,
        mfaEnabled: s.user.mfaEnabledAt !== null,
      },
      organizationId: s.organizationId,
      csrfToken: s.csrfToken,
    };
  }

  @Post('auth/signup')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Sign up: creates a user and an organisation for a new email and mails it a verification link, then sign in; the answer is the same for an email that has an account (which is left unchanged, and gets no mail)',
    body: signupRequestSchema,
    response: signupResponseSchema,
    status: 202,
  })
  @HttpCode(202)
  async signup(@Body() body: unknown, @Req() req: AuthedRequest) {
    return this.auth.signup(parseBody(signupRequestSchema, body), req.ip ?? null, req.requestId);
  }

  @Post('auth/login')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Log in; sets the session cookie and returns the CSRF token. For an account with two-factor authentication, a right password sets no cookie: the answer is {status: "mfa_required", challenge, expiresInSeconds} for POST /v1/auth/login/mfa. Rate limited per account, per (account, client) and per client: 429 with Retry-After',
    body: loginRequestSchema,
  })
  @HttpCode(200)
  async login(
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const parsed = parseBody(loginRequestSchema, body);
    const r = await withRetryAfter(res, () =>
      this.auth.login(parsed, req.ip ?? null, req.requestId),
    );
    return 'mfa' in r ? r.mfa : this.send(res, r);
  }

  @Post('auth/login/mfa')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Second step of a sign-in with two-factor authentication: the challenge of the login answer with a code of the authenticator app (each code once) or an unused recovery code; sets the session cookie as login does. 401 wrong code or used/expired challenge (5 minutes, single use, 5 wrong codes); rate limited like login (429 with Retry-After)',
    body: mfaLoginRequestSchema,
  })
  @HttpCode(200)
  async loginMfa(
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const parsed = parseBody(mfaLoginRequestSchema, body);
    return this.send(
      res,
      await withRetryAfter(res, () =>
        this.auth.loginWithSecondFactor(parsed, req.ip ?? null, req.requestId),
      ),
    );
  }

  @Post('auth/password-reset')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Ask for a password-reset link by mail (single use, 30 minutes). The same 202 and body whether or not the email has an account; rate limited like login (429 with Retry-After)',
    body: passwordResetRequestSchema,
    response: passwordResetAcceptedSchema,
    status: 202,
  })
  @HttpCode(202)
  async requestPasswordReset(
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { email } = parseBody(passwordResetRequestSchema, body);
    return withRetryAfter(res, () =>
      this.auth.requestPasswordReset(email, req.ip ?? null, req.requestId),
    );
  }

  @Post('auth/password-reset/confirm')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Set a new password with the token of a reset link: once, within 30 minutes; ends every session of the account (audited). 404 unknown, 409 used, 400 expired token; 422 password refused',
    body: passwordResetConfirmSchema,
  })
  @HttpCode(200)
  async confirmPasswordReset(@Body() body: unknown, @Req() req: AuthedRequest) {
    return this.auth.confirmPasswordReset(
      parseBody(passwordResetConfirmSchema, body),
      req.ip ?? null,
      req.requestId,
    );
  }

  @Post('auth/verify-email')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Confirm the email address with the token of the verification mail (once, within 24 hours). 404 unknown, 409 used, 400 expired token',
    body: verifyEmailRequestSchema,
  })
  @HttpCode(200)
  async verifyEmail(@Body() body: unknown, @Req() req: AuthedRequest) {
    const { token } = parseBody(verifyEmailRequestSchema, body);
    return this.auth.verifyEmail(token, req.ip ?? null, req.requestId);
  }

  @Post('auth/verify-email/resend')
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary:
      "Mail a new verification link to the signed-in user's address (earlier links stop working); rate limited (429 with Retry-After)",
    status: 202,
  })
  @HttpCode(202)
  @UseGuards(SessionGuard)
  async resendVerification(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    return withRetryAfter(res, () =>
      this.auth.resendVerification(authOf(req).user, req.ip ?? null, req.requestId),
    );
  }

  @Post('auth/logout')
  @Doc({ tag: 'auth', auth: 'session', summary: 'Log out: ends this session', status: 204 })
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async logout(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(authOf(req).session.id);
    this.cache.forgetSession(authOf(req).session.id);
    res.setHeader('Set-Cookie', clearedSessionCookie(this.env.NODE_ENV === 'production'));
  }

  @Get('me')
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary: 'The signed-in user, their organisations and roles, and the CSRF token',
  })
  @UseGuards(SessionGuard)
  async me(@Req() req: AuthedRequest) {
    const auth = authOf(req);
    return { ...(await this.auth.me(auth.user)), csrfToken: auth.session.csrfToken };
  }

  /** Public: an invite link can be opened signed in or not. */
  @Post('invites/accept')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary: 'Accept an invite (new user: name and password; signed-in user: token only)',
    body: acceptInviteRequestSchema,
  })
  @HttpCode(200)
  async acceptInvite(
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const parsed = parseBody(acceptInviteRequestSchema, body);
    const cookie = readCookie(req.header('cookie'), SESSION_COOKIE);
    const session = cookie ? await this.db.sessions.find(cookie) : null;
    if (session && req.header('x-csrf-token') !== session.csrfToken) {
      throw new DomainError('forbidden', 'missing or wrong X-CSRF-Token header');
    }
    const r = await this.auth.acceptInvite(
      parsed,
      session?.user ?? null,
      req.ip ?? null,
      req.requestId,
    );
    if (r.signedIn) return this.send(res, r.signedIn);
    return { organizationId: r.organizationId };
  }
}
