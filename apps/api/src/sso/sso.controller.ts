import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import {
  ssoConfigRequestSchema,
  ssoConfigResponseSchema,
  ssoDomainVerifyResponseSchema,
  ssoStartRequestSchema,
  ssoStartResponseSchema,
} from '@plumbline/contracts';
import type { Response } from 'express';
import { actorOf } from '../common/audit.service.js';
import { API_ENV } from '../common/tokens.js';
import { parseBody } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { AuthService } from '../auth/auth.service.js';
import { withRetryAfter } from '../auth/retry-after.js';
import { readCookie, sessionCookie } from '../auth/cookies.js';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { attemptCookie, failureLocation, SSO_ATTEMPT_COOKIE } from './sso-helpers.js';
import { SsoFailure, SsoService } from './sso.service.js';
import { SSO_ATTEMPT_TTL_MINUTES } from '@plumbline/contracts';

/** The organisation's single sign-on settings (OpenID Connect). */
@Controller('v1/orgs/:orgId/sso')
@UseGuards(SessionGuard, OrgGuard)
export class SsoConfigController {
  constructor(private readonly sso: SsoService) {}

  @Get()
  @MinRole('admin')
  @Doc({
    tag: 'sso',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Single sign-on settings: issuer, client id (never the secret: hasClientSecret), domains with their DNS TXT record and state, default role, SSO required and break-glass owner, and the redirect URI to register',
    response: ssoConfigResponseSchema,
  })
  get(@Req() req: AuthedRequest) {
    return this.sso.get(orgOf(req).organizationId);
  }

  @Put()
  @MinRole('owner')
  @Doc({
    tag: 'sso',
    auth: 'org',
    minRole: 'owner',
    summary:
      'Save the single sign-on settings (client secret sealed; omit it to keep the stored one). The issuer must resolve to public addresses (the egress guard of agentless scans; http:// only on loopback allowed by AGENTLESS_ALLOWED_CIDRS) and, when enabled, serve a discovery document (422 otherwise). 409: a domain is verified by another organisation. A domain of the saving owner’s own verified address is verified at once (audited)',
    body: ssoConfigRequestSchema,
    response: ssoConfigResponseSchema,
  })
  put(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.sso.put(actorOf(req), authOf(req).user, parseBody(ssoConfigRequestSchema, body));
  }

  @Post('domains/:domain/verify')
  @MinRole('owner')
  @HttpCode(200)
  @Doc({
    tag: 'sso',
    auth: 'org',
    minRole: 'owner',
    summary:
      'Check the DNS TXT record `_plumbline-verification.<domain>` now; the domain with `verified` (200 either way; 404 not in the settings; 409 verified by another organisation) (audited when verified)',
    response: ssoDomainVerifyResponseSchema,
  })
  verify(@Req() req: AuthedRequest, @Param('domain') domain: string) {
    return this.sso.verifyDomain(actorOf(req), domain);
  }

  @Delete()
  @MinRole('owner')
  @HttpCode(204)
  @Doc({
    tag: 'sso',
    auth: 'org',
    minRole: 'owner',
    summary: 'Remove single sign-on: settings, domains, identity links (audited)',
    status: 204,
  })
  async remove(@Req() req: AuthedRequest): Promise<void> {
    await this.sso.remove(actorOf(req));
  }
}

/** The public sign-in routes of single sign-on. */
@Controller('v1/auth/sso')
export class SsoAuthController {
  constructor(
    private readonly sso: SsoService,
    private readonly auth: AuthService,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  private secure(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  @Post('start')
  @HttpCode(200)
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Start a single sign-on: the organisation whose verified domain matches the email (404 when none), then the identity provider’s authorization URL (code flow with PKCE, state and nonce; 10 minutes, single use); sets an httpOnly cookie binding the attempt to this browser. Rate limited like login (429 with Retry-After)',
    body: ssoStartRequestSchema,
    response: ssoStartResponseSchema,
  })
  async start(
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const parsed = parseBody(ssoStartRequestSchema, body);
    const r = await withRetryAfter(res, () => this.sso.start(parsed, req.ip ?? null));
    res.setHeader(
      'Set-Cookie',
      attemptCookie(r.browserToken, SSO_ATTEMPT_TTL_MINUTES * 60, this.secure()),
    );
    return { redirectUrl: r.redirectUrl };
  }

  @Get('callback')
  @Doc({
    tag: 'auth',
    auth: 'public',
    summary:
      'Where the identity provider sends the browser back (?code&state): checks the attempt (unused, unexpired, this browser), exchanges the code (PKCE) and checks the ID token (signature, issuer, audience, expiry, nonce), a verified email at a verified domain; then just-in-time membership, a session (no TOTP step) and 302 to the app. Failures 302 to /signin?sso_error=<code> (audited)',
    status: 302,
  })
  async callback(
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string') params[k] = v;
    const cookies: string[] = [attemptCookie('', 0, this.secure())];
    try {
      const r = await this.sso.callback(
        params,
        readCookie(req.header('cookie'), SSO_ATTEMPT_COOKIE),
        req.ip ?? null,
        req.requestId,
      );
      cookies.push(
        sessionCookie(
          r.signedIn.cookieValue,
          Math.floor(this.auth.sessionTtlMs / 1000),
          this.secure(),
        ),
      );
      res.setHeader('Set-Cookie', cookies);
      res.redirect(302, r.location);
    } catch (e) {
      const f =
        e instanceof SsoFailure
          ? e
          : new SsoFailure('idp_error', `sign-in failed: ${(e as Error).message.slice(0, 200)}`);
      await this.sso.auditFailure(f, req.ip ?? null, req.requestId);
      res.setHeader('Set-Cookie', cookies);
      res.redirect(302, failureLocation(this.env.APP_URL, f.code));
    }
  }
}
