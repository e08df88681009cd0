import { Body, Controller, Get, HttpCode, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import {
  mfaConfirmRequestSchema,
  mfaDisableRequestSchema,
  mfaEnrolRequestSchema,
  mfaEnrolmentResponseSchema,
  mfaRecoveryCodesRequestSchema,
  mfaRecoveryCodesResponseSchema,
  mfaStatusResponseSchema,
  orgSecuritySettingsSchema,
} from '@plumbline/contracts';
import type { Response } from 'express';
import { actorOf } from '../common/audit.service.js';
import { parseBody } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { MinRole, OrgGuard, SessionGuard } from './guards.js';
import { MfaService, type Caller } from './mfa.service.js';
import { authOf, type AuthedRequest } from './request-auth.js';
import { withRetryAfter } from './retry-after.js';

function callerOf(req: AuthedRequest): Caller {
  return { user: authOf(req).user, ip: req.ip ?? null, requestId: req.requestId };
}

/**
 * Two-factor authentication (TOTP) of the signed-in user. These routes stay open to a member of
 * an organisation requiring it (they are not organisation routes), so the member can enrol.
 */
@Controller('v1/me/mfa')
@UseGuards(SessionGuard)
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Get()
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary:
      'Two-factor authentication of the caller: on or off, recovery codes left, organisations requiring it',
    response: mfaStatusResponseSchema,
  })
  status(@Req() req: AuthedRequest) {
    return this.mfa.status(authOf(req).user);
  }

  @Post('enrol')
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary:
      'Start enrolling an authenticator app: a new secret (stored sealed, pending until confirmed), its otpauth:// URI and QR code (SVG data URL). The body may be empty while two-factor authentication is off; while it is on (moving to a new device) it needs the current second factor, a code of the app or an unused recovery code (spent), else 422; the active secret keeps working until the new one is confirmed. Rate limited (429); 503 without PLUMBLINE_ENCRYPTION_KEY',
    body: mfaEnrolRequestSchema,
    bodyOptional: true,
    response: mfaEnrolmentResponseSchema,
  })
  @HttpCode(200)
  enrol(
    @Req() req: AuthedRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const factor = parseBody(mfaEnrolRequestSchema, body);
    return withRetryAfter(res, () => this.mfa.enrol(callerOf(req), factor));
  }

  @Post('confirm')
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary:
      'Confirm the enrolment with a code of the app: two-factor authentication is on, and the 10 single-use recovery codes are returned this once (stored hashed). 422 wrong code; rate limited (429)',
    body: mfaConfirmRequestSchema,
    response: mfaRecoveryCodesResponseSchema,
  })
  @HttpCode(200)
  confirm(
    @Req() req: AuthedRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { code } = parseBody(mfaConfirmRequestSchema, body);
    return withRetryAfter(res, () => this.mfa.confirm(callerOf(req), code));
  }

  @Post('disable')
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary:
      'Turn two-factor authentication off with the password and the current second factor, a code of the app or an unused recovery code (audited). 422 wrong password or factor; 409 while an organisation of the caller requires it; rate limited (429)',
    body: mfaDisableRequestSchema,
  })
  @HttpCode(200)
  disable(
    @Req() req: AuthedRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const parsed = parseBody(mfaDisableRequestSchema, body);
    return withRetryAfter(res, () => this.mfa.disable(callerOf(req), parsed));
  }

  @Post('recovery-codes')
  @Doc({
    tag: 'auth',
    auth: 'session',
    summary:
      'New recovery codes with the current second factor, a code of the app or an unused recovery code (the old ones stop working); returned this once (audited). 422 wrong factor; rate limited (429)',
    body: mfaRecoveryCodesRequestSchema,
    response: mfaRecoveryCodesResponseSchema,
  })
  @HttpCode(200)
  recoveryCodes(
    @Req() req: AuthedRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const factor = parseBody(mfaRecoveryCodesRequestSchema, body);
    return withRetryAfter(res, () => this.mfa.regenerateRecoveryCodes(callerOf(req), factor));
  }
}

/** The organisation's sign-in security settings. */
@Controller('v1/orgs/:orgId/security')
@UseGuards(SessionGuard, OrgGuard)
export class OrgSecurityController {
  constructor(private readonly mfa: MfaService) {}

  @Put()
  @MinRole('admin')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Require two-factor authentication of every member (audited): members without it get 403 on every organisation route until they enrol. 409 when the caller has no two-factor authentication of their own',
    body: orgSecuritySettingsSchema,
    response: orgSecuritySettingsSchema,
  })
  setSecurity(@Req() req: AuthedRequest, @Body() body: unknown) {
    const { requireMfa } = parseBody(orgSecuritySettingsSchema, body);
    return this.mfa.setOrganizationRequirement(actorOf(req), requireMfa);
  }
}
