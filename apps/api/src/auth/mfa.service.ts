import { Inject, Injectable } from '@nestjs/common';
import type {
  MfaDisableRequest,
  MfaEnrolRequest,
  MfaSecondFactor,
  MfaStatusResponse,
} from '@plumbline/contracts';
import { verifyPassword, type Database, type User } from '@plumbline/db';
import type { AgentlessSettings, Keyring } from '@plumbline/jobs';
import { DomainError } from '../common/domain-error.js';
import { AGENTLESS, DATABASE } from '../common/tokens.js';
import { AuditService, type Actor } from '../common/audit.service.js';
import { AuthCache } from './auth-cache.js';
import { AuthService } from './auth.service.js';
import { signInKeys } from './rate-limit.js';
import { enrolment, matchingStep, newTotpSecret, openTotpSecret, sealTotpSecret } from './totp.js';

/** Minutes an enrolment (the pending secret) waits for its confirming code. */
const ENROLMENT_TTL_MINUTES = 15;

/** Why enrolling again is refused without the current second factor (422). */
export const ENROL_NEEDS_SECOND_FACTOR =
  'two-factor authentication is on: confirm with a code from your current authenticator or a recovery code to set up a new device';

/** What a checked second factor confirmed (the audit's `purpose`). */
type Purpose = 'enrol' | 'disable' | 'recovery_codes';

/** Who calls, for the rate limits and the audit log. */
export interface Caller {
  user: User;
  ip: string | null;
  requestId?: string;
}

/**
 * Two-factor authentication of the signed-in user (enrol, confirm, disable, new recovery codes)
 * and the organisation switch requiring it. Every code given here is counted by the sign-in
 * limits (scope `mfa`, per account and client); each change is audited under each of the user's
 * organisations.
 */
/** Two-factor authentication guards password sign-in; single sign-on has the provider's own. */
export const MFA_NEEDS_PASSWORD_ACCOUNT =
  'two-factor authentication here protects password sign-in; you sign in with single sign-on, whose identity provider sets your second factor';

@Injectable()
export class MfaService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(AGENTLESS) private readonly agentless: AgentlessSettings,
    private readonly auth: AuthService,
    private readonly cache: AuthCache,
    private readonly audits: AuditService,
  ) {}

  private keyring(): Keyring {
    if (!this.agentless.keyring)
      throw new DomainError(
        'unavailable',
        'two-factor authentication is not configured on this server: PLUMBLINE_ENCRYPTION_KEY is not set (see docs/operations.md)',
      );
    return this.agentless.keyring;
  }

  private keys(c: Caller) {
    return signInKeys(c.user.email, c.ip ?? 'unknown', 'mfa');
  }

  async status(user: User): Promise<MfaStatusResponse> {
    const state = await this.db.mfa.state(user.id);
    return {
      mfaEnabled: Boolean(state?.mfaEnabledAt),
      enabledAt: state?.mfaEnabledAt?.toISOString() ?? null,
      recoveryCodesLeft: state?.mfaEnabledAt
        ? await this.db.mfa.remainingRecoveryCodes(user.id)
        : 0,
      requiredBy: await this.db.mfa.organizationsRequiring(user.id),
    };
  }

  /**
   * A new secret, pending until confirmed with a code (an active one keeps working meanwhile:
   * enrolling again is how a user moves to a new device). While two-factor authentication is
   * on, enrolling again needs the current second factor (a code of the active app or a recovery
   * code), counted by the sign-in limits: a session alone cannot move it to another device.
   */
  async enrol(c: Caller, factor: MfaEnrolRequest = {}) {
    const keyring = this.keyring();
    // The session's user row (dropped from the cache when the password changes).
    if (!c.user.passwordHash)
      throw new DomainError('conflict', MFA_NEEDS_PASSWORD_ACCOUNT, [
        'password: none (single sign-on)',
      ]);
    const state = await this.db.mfa.state(c.user.id);
    let confirmedWith: 'totp' | 'recovery_code' | undefined;
    if (state?.mfaEnabledAt) {
      if (factor.code === undefined && factor.recoveryCode === undefined)
        throw new DomainError('validation_failed', ENROL_NEEDS_SECOND_FACTOR, [
          'code: a code of your current authenticator app (or recoveryCode: an unused recovery code)',
        ]);
      const keys = this.keys(c);
      await this.auth.admit(keys);
      confirmedWith = await this.checkSecondFactor(c, factor, 'enrol');
      await this.auth.attemptSucceeded(keys);
    }
    const secret = newTotpSecret();
    await this.db.mfa.setPending(c.user.id, sealTotpSecret(keyring, c.user.id, secret));
    await this.auth.auditAccount(
      c.user.id,
      'auth.mfa_enrolment_started',
      c.ip,
      c.requestId,
      confirmedWith ? { secondFactor: confirmedWith } : undefined,
    );
    return enrolment(secret, c.user.email);
  }

  /** Activate the pending secret with a code of it; the 10 recovery codes are returned once. */
  async confirm(c: Caller, code: string) {
    const keyring = this.keyring();
    const keys = this.keys(c);
    await this.auth.admit(keys);
    const state = await this.db.mfa.state(c.user.id);
    if (!state?.totpPendingCiphertext || !state.totpPendingAt)
      throw new DomainError('conflict', 'no enrolment in progress; start it again');
    if (state.totpPendingAt.getTime() + ENROLMENT_TTL_MINUTES * 60_000 < Date.now())
      throw new DomainError(
        'conflict',
        `the enrolment has expired (${ENROLMENT_TTL_MINUTES} minutes); start it again`,
      );
    const secret = openTotpSecret(keyring, c.user.id, state.totpPendingCiphertext);
    const step = matchingStep(secret, code);
    if (step === null)
      throw new DomainError('validation_failed', 'wrong code', [
        'code: not the current code of the authenticator app (check the device clock)',
      ]);
    const codes = await this.db.mfa.activate(c.user.id, state.totpPendingCiphertext, step);
    if (!codes) throw new DomainError('conflict', 'the enrolment was replaced; start it again');
    await this.auth.attemptSucceeded(keys);
    this.cache.forgetUser(c.user.id);
    await this.auth.auditAccount(
      c.user.id,
      state.mfaEnabledAt ? 'auth.mfa_replaced' : 'auth.mfa_enabled',
      c.ip,
      c.requestId,
    );
    return { mfaEnabled: true as const, recoveryCodes: codes };
  }

  /**
   * Check the current second factor: a code of the active secret (never accepted twice: the
   * time step is remembered) or an unused recovery code (spent here, audited as at sign-in).
   * The caller counts the attempt. Returns which one it was.
   */
  private async checkSecondFactor(
    c: Caller,
    factor: MfaSecondFactor,
    purpose: Purpose,
  ): Promise<'totp' | 'recovery_code'> {
    const state = await this.db.mfa.state(c.user.id);
    if (!state?.mfaEnabledAt)
      throw new DomainError('conflict', 'two-factor authentication is not on');
    if (factor.recoveryCode !== undefined) {
      if (!(await this.db.mfa.useRecoveryCode(c.user.id, factor.recoveryCode)))
        throw new DomainError('validation_failed', 'wrong or already used recovery code', [
          'recoveryCode: wrong or already used recovery code',
        ]);
      await this.auth.auditAccount(c.user.id, 'auth.mfa_recovery_code_used', c.ip, c.requestId, {
        left: await this.db.mfa.remainingRecoveryCodes(c.user.id),
        purpose,
      });
      return 'recovery_code';
    }
    if (!state.totpSecretCiphertext)
      throw new DomainError('conflict', 'two-factor authentication is not on');
    const secret = openTotpSecret(this.keyring(), c.user.id, state.totpSecretCiphertext);
    const step = matchingStep(secret, factor.code ?? '');
    if (step === null)
      throw new DomainError('validation_failed', 'wrong code', [
        'code: not the current code of your authenticator app (or use a recovery code)',
      ]);
    if (!(await this.db.mfa.acceptStep(c.user.id, step)))
      throw new DomainError('validation_failed', 'this code was used already', [
        'code: wait for the next code',
      ]);
    return 'totp';
  }

  /**
   * Turn two-factor authentication off: needs the password and the current second factor (a
   * code or a recovery code). Refused while one of the
   * user's organisations requires it (enrolling again moves it to a new device instead).
   */
  async disable(c: Caller, body: MfaDisableRequest) {
    const requiring = await this.db.mfa.organizationsRequiring(c.user.id);
    if (requiring.length)
      throw new DomainError(
        'conflict',
        'an organisation you belong to requires two-factor authentication, so it cannot be turned off; to move to a new device, enrol again',
        requiring.map((id) => `required by organisation ${id}`),
      );
    const keys = this.keys(c);
    await this.auth.admit(keys);
    const current = await this.db.users.get(c.user.id);
    if (!current?.passwordHash || !(await verifyPassword(body.password, current.passwordHash)))
      throw new DomainError('validation_failed', 'wrong password', ['password: wrong password']);
    await this.checkSecondFactor(c, body, 'disable');
    await this.auth.attemptSucceeded(keys);
    await this.db.mfa.disable(c.user.id);
    this.cache.forgetUser(c.user.id);
    await this.auth.auditAccount(c.user.id, 'auth.mfa_disabled', c.ip, c.requestId);
    return { mfaEnabled: false as const };
  }

  /**
   * New recovery codes (the old ones stop working), returned once; needs the current second
   * factor (a code, or a recovery code: the way back for a user who lost the device).
   */
  async regenerateRecoveryCodes(c: Caller, factor: MfaSecondFactor) {
    const keys = this.keys(c);
    await this.auth.admit(keys);
    await this.checkSecondFactor(c, factor, 'recovery_codes');
    await this.auth.attemptSucceeded(keys);
    const codes = await this.db.mfa.replaceRecoveryCodes(c.user.id);
    await this.auth.auditAccount(c.user.id, 'auth.mfa_recovery_codes_replaced', c.ip, c.requestId);
    return { mfaEnabled: true as const, recoveryCodes: codes };
  }

  /**
   * Require (or stop requiring) two-factor authentication of the organisation's members; an
   * admin turns it on only with two-factor authentication of their own. Audited.
   */
  async setOrganizationRequirement(actor: Actor, requireMfa: boolean) {
    if (requireMfa) {
      const state = await this.db.mfa.state(actor.userId);
      if (!state?.mfaEnabledAt)
        throw new DomainError(
          'conflict',
          'turn on two-factor authentication for your own account first (account settings)',
        );
    }
    const before = await this.db.mfa.setRequired(actor.organizationId, requireMfa);
    if (before === null) throw new DomainError('not_found', 'organisation not found');
    this.cache.forgetMfaRequirement(actor.organizationId);
    if (before !== requireMfa)
      await this.audits.record(actor, 'org.security_change', 'organization', actor.organizationId, {
        requireMfa: { from: before, to: requireMfa },
      });
    return { requireMfa };
  }
}
