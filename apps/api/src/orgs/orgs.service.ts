import { Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type { CreateScannerTokenRequest, InviteRequest } from '@plumbline/contracts';
import type { Database, Role } from '@plumbline/db';
import { inviteMail } from '../auth/account-mails.js';
import { AuthCache } from '../auth/auth-cache.js';
import { ROLE_RANK } from '../auth/request-auth.js';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, DATABASE } from '../common/tokens.js';
import { MailService } from '../mail/mail.service.js';

const INVITE_TTL_DAYS = 7;
const INVITE_TTL_MS = INVITE_TTL_DAYS * 24 * 3_600_000;

/** The member acting: who they are in the audit log, their role and name (for mails). */
export interface Member extends Actor {
  role: Role;
  name: string;
}

/**
 * Organisation administration: members and roles, invites, scanner tokens, the audit log, and
 * the clusters and scans lists. Every query is scoped by the caller's organisation; every change
 * is audited.
 */
@Injectable()
export class OrgsService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly cache: AuthCache,
    private readonly audits: AuditService,
    private readonly mail: MailService,
    @Inject(API_ENV) private readonly env: Pick<ApiEnv, 'APP_URL'>,
  ) {}

  async organization(organizationId: string, role: Role) {
    const org = await this.db.organizations.get(organizationId);
    if (!org) throw new DomainError('not_found', 'organisation not found');
    return { id: org.id, name: org.name, slug: org.slug, role };
  }

  async members(organizationId: string) {
    const list = await this.db.memberships.list(organizationId);
    return {
      items: list.map((m) => ({
        userId: m.user.id,
        email: m.user.email,
        name: m.user.name,
        role: m.role,
        lastLoginAt: m.user.lastLoginAt,
      })),
    };
  }

  async changeRole(by: Member, userId: string, role: Role) {
    const { organizationId } = by;
    const current = await this.db.memberships.roleOf(organizationId, userId);
    if (!current) throw new DomainError('not_found', 'member not found');
    if ((role === 'owner' || current === 'owner') && by.role !== 'owner') {
      throw new DomainError('forbidden', 'only an owner can grant or remove the owner role');
    }
    if (
      current === 'owner' &&
      role !== 'owner' &&
      (await this.db.memberships.countOwners(organizationId)) <= 1
    ) {
      throw new DomainError('conflict', 'an organisation keeps at least one owner');
    }
    await this.db.memberships.setRole(organizationId, userId, role);
    this.cache.forgetMembership(organizationId, userId);
    await this.audits.record(by, 'member.role_change', 'user', userId, { from: current, to: role });
    return { userId, role };
  }

  async invite(by: Member, data: InviteRequest) {
    if (ROLE_RANK[data.role] > ROLE_RANK[by.role]) {
      throw new DomainError(
        'forbidden',
        `you cannot invite someone with a higher role than yours (${by.role})`,
      );
    }
    const { token, invite } = await this.db.invites.create(by.organizationId, {
      email: data.email,
      role: data.role,
      invitedById: by.userId,
      ttlMs: INVITE_TTL_MS,
    });
    await this.audits.record(by, 'member.invite', 'invite', invite.id, {
      email: invite.email,
      role: invite.role,
    });
    const org = await this.db.organizations.get(invite.organizationId);
    await this.mail.enqueue(
      {
        organizationId: invite.organizationId,
        to: invite.email,
        kind: 'invite',
        ...inviteMail(this.env.APP_URL, token, {
          organizationName: org?.name ?? 'an organisation',
          inviterName: by.name,
          role: invite.role,
          days: INVITE_TTL_DAYS,
        }),
      },
      by.requestId,
    );
    // Also returned once, for an admin who shares the link another way.
    return { invite, link: `/invite#${token}`, token };
  }

  async invites(organizationId: string) {
    return { items: await this.db.invites.list(organizationId) };
  }

  async tokens(organizationId: string) {
    return { items: await this.db.scannerTokens.list(organizationId) };
  }

  async createToken(by: Actor, data: CreateScannerTokenRequest) {
    const { organizationId } = by;
    if (data.clusterId && !(await this.db.clusters.get(organizationId, data.clusterId))) {
      throw new DomainError('not_found', 'cluster not found');
    }
    const { token, record } = await this.db.scannerTokens.create(organizationId, {
      name: data.name,
      clusterId: data.clusterId,
      createdById: by.userId,
      expiresAt: data.expiresInDays
        ? new Date(Date.now() + data.expiresInDays * 86_400_000)
        : undefined,
    });
    await this.audits.record(by, 'scanner_token.create', 'scanner_token', record.id, {
      name: record.name,
    });
    // Shown once: only its hash is stored.
    return { token, record };
  }

  async revokeToken(by: Actor, tokenId: string): Promise<void> {
    if (!(await this.db.scannerTokens.revoke(by.organizationId, tokenId))) {
      throw new DomainError('not_found', 'scanner token not found or already revoked');
    }
    await this.audits.record(by, 'scanner_token.revoke', 'scanner_token', tokenId);
  }

  async auditLog(organizationId: string) {
    return { items: await this.db.audit.list(organizationId, 200) };
  }

  async clusters(organizationId: string) {
    const clusters = await this.db.clusters.list(organizationId);
    return { items: await this.db.clusters.withFirstSeen(organizationId, clusters) };
  }

  async scans(organizationId: string, clusterId: string, limit: number, cursor?: string) {
    if (!(await this.db.clusters.get(organizationId, clusterId)))
      throw new DomainError('not_found', 'cluster not found');
    const items = await this.db.clusters.scans(organizationId, clusterId, {
      take: limit + 1,
      cursor,
    });
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? page.at(-1)!.id : null };
  }

  async scan(organizationId: string, scanId: string) {
    const scan = await this.db.scans.get(organizationId, scanId);
    if (!scan) throw new DomainError('not_found', 'scan not found');
    const result = await this.db.scans.getResult(organizationId, scanId);
    return { scan, result: result?.result ?? null };
  }
}
