import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  createScannerTokenRequestSchema,
  inviteRequestSchema,
  pageQuerySchema,
  roleChangeRequestSchema,
} from '@plumbline/contracts';
import type { ApiEnv } from '@plumbline/config';
import type { Database } from '@plumbline/db';
import { inviteMail } from '../auth/account-mails.js';
import { AuthCache } from '../auth/auth-cache.js';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { actorOf, AuditService } from '../common/audit.service.js';
import { authOf, orgOf, ROLE_RANK, type AuthedRequest } from '../auth/request-auth.js';
import { Doc } from '../openapi/doc.js';
import { DomainError } from '../common/domain-error.js';
import { uuidOr404 } from '../common/ids.js';
import { API_ENV, DATABASE } from '../common/tokens.js';
import { MailService } from '../mail/mail.service.js';
import { parseBody } from '../common/validate.js';

const INVITE_TTL_DAYS = 7;
const INVITE_TTL_MS = INVITE_TTL_DAYS * 24 * 3_600_000;

/** Organisation administration: members and roles, invites, scanner tokens, audit log. */
@Controller('v1/orgs/:orgId')
@UseGuards(SessionGuard, OrgGuard)
export class OrgsController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly cache: AuthCache,
    private readonly audits: AuditService,
    private readonly mail: MailService,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  @Get()
  @Doc({ tag: 'organisation', auth: 'org', summary: 'The organisation and the caller’s role' })
  async organization(@Req() req: AuthedRequest) {
    const org = await this.db.organizations.get(orgOf(req).organizationId);
    if (!org) throw new DomainError('not_found', 'organisation not found');
    return { id: org.id, name: org.name, slug: org.slug, role: orgOf(req).role };
  }

  @Get('members')
  @Doc({ tag: 'organisation', auth: 'org', summary: 'Members and their roles' })
  async members(@Req() req: AuthedRequest) {
    const list = await this.db.memberships.list(orgOf(req).organizationId);
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

  @Patch('members/:userId')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Change a member’s role (audited)',
    body: roleChangeRequestSchema,
  })
  @MinRole('admin')
  async changeRole(
    @Req() req: AuthedRequest,
    @Param('userId') userId: string,
    @Body() body: unknown,
  ) {
    uuidOr404(userId, 'member');
    const { role } = parseBody(roleChangeRequestSchema, body);
    const { organizationId, role: mine } = orgOf(req);
    const current = await this.db.memberships.roleOf(organizationId, userId);
    if (!current) throw new DomainError('not_found', 'member not found');
    if ((role === 'owner' || current === 'owner') && mine !== 'owner') {
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
    await this.audits.record(actorOf(req), 'member.role_change', 'user', userId, {
      from: current,
      to: role,
    });
    return { userId, role };
  }

  @Post('invites')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Invite someone: the link is mailed to them and returned once (7 days, single use; audited)',
    body: inviteRequestSchema,
    status: 201,
  })
  @MinRole('admin')
  @HttpCode(201)
  async invite(@Req() req: AuthedRequest, @Body() body: unknown) {
    const data = parseBody(inviteRequestSchema, body);
    if (ROLE_RANK[data.role] > ROLE_RANK[orgOf(req).role]) {
      throw new DomainError(
        'forbidden',
        `you cannot invite someone with a higher role than yours (${orgOf(req).role})`,
      );
    }
    const { token, invite } = await this.db.invites.create(orgOf(req).organizationId, {
      email: data.email,
      role: data.role,
      invitedById: authOf(req).user.id,
      ttlMs: INVITE_TTL_MS,
    });
    await this.audits.record(actorOf(req), 'member.invite', 'invite', invite.id, {
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
          inviterName: authOf(req).user.name,
          role: invite.role,
          days: INVITE_TTL_DAYS,
        }),
      },
      req.requestId,
    );
    // Also returned once, for an admin who shares the link another way.
    return { invite, link: `/invite#${token}`, token };
  }

  @Get('invites')
  @Doc({ tag: 'organisation', auth: 'org', minRole: 'admin', summary: 'Pending and past invites' })
  @MinRole('admin')
  async invites(@Req() req: AuthedRequest) {
    return { items: await this.db.invites.list(orgOf(req).organizationId) };
  }

  @Get('scanner-tokens')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Scanner tokens (metadata only)',
  })
  @MinRole('admin')
  async tokens(@Req() req: AuthedRequest) {
    return { items: await this.db.scannerTokens.list(orgOf(req).organizationId) };
  }

  @Post('scanner-tokens')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Create a scanner token (shown once; audited)',
    body: createScannerTokenRequestSchema,
    status: 201,
  })
  @MinRole('admin')
  @HttpCode(201)
  async createToken(@Req() req: AuthedRequest, @Body() body: unknown) {
    const data = parseBody(createScannerTokenRequestSchema, body);
    const organizationId = orgOf(req).organizationId;
    if (data.clusterId && !(await this.db.clusters.get(organizationId, data.clusterId))) {
      throw new DomainError('not_found', 'cluster not found');
    }
    const { token, record } = await this.db.scannerTokens.create(organizationId, {
      name: data.name,
      clusterId: data.clusterId,
      createdById: authOf(req).user.id,
      expiresAt: data.expiresInDays
        ? new Date(Date.now() + data.expiresInDays * 86_400_000)
        : undefined,
    });
    await this.audits.record(actorOf(req), 'scanner_token.create', 'scanner_token', record.id, {
      name: record.name,
    });
    // Shown once: only its hash is stored.
    return { token, record };
  }

  @Delete('scanner-tokens/:tokenId')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Revoke a scanner token (audited)',
    status: 204,
  })
  @MinRole('admin')
  @HttpCode(204)
  async revokeToken(@Req() req: AuthedRequest, @Param('tokenId') tokenId: string): Promise<void> {
    uuidOr404(tokenId, 'scanner token');
    if (!(await this.db.scannerTokens.revoke(orgOf(req).organizationId, tokenId))) {
      throw new DomainError('not_found', 'scanner token not found or already revoked');
    }
    await this.audits.record(actorOf(req), 'scanner_token.revoke', 'scanner_token', tokenId);
  }

  @Get('audit')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Audit log (newest 200 events)',
  })
  @MinRole('admin')
  async auditLog(@Req() req: AuthedRequest) {
    return { items: await this.db.audit.list(orgOf(req).organizationId, 200) };
  }

  @Get('clusters')
  @Doc({ tag: 'clusters', auth: 'org', summary: 'Clusters of the organisation' })
  async clusters(@Req() req: AuthedRequest) {
    const organizationId = orgOf(req).organizationId;
    const clusters = await this.db.clusters.list(organizationId);
    return { items: await this.db.clusters.withFirstSeen(organizationId, clusters) };
  }

  @Get('clusters/:clusterId/scans')
  @Doc({
    tag: 'clusters',
    auth: 'org',
    summary: 'Scans of a cluster (newest first, cursor pagination)',
    query: pageQuerySchema,
  })
  async scans(@Req() req: AuthedRequest, @Param('clusterId') clusterId: string) {
    uuidOr404(clusterId, 'cluster');
    const organizationId = orgOf(req).organizationId;
    const cursor =
      typeof req.query.cursor === 'string' ? uuidOr404(req.query.cursor, 'cursor') : undefined;
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 200);
    if (!(await this.db.clusters.get(organizationId, clusterId)))
      throw new DomainError('not_found', 'cluster not found');
    const items = await this.db.clusters.scans(organizationId, clusterId, {
      take: limit + 1,
      cursor,
    });
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? page.at(-1)!.id : null };
  }

  @Get('scans/:scanId')
  @Doc({ tag: 'clusters', auth: 'org', summary: 'One scan and its whole analysis result' })
  async scan(@Req() req: AuthedRequest, @Param('scanId') scanId: string) {
    uuidOr404(scanId, 'scan');
    const organizationId = orgOf(req).organizationId;
    const scan = await this.db.scans.get(organizationId, scanId);
    if (!scan) throw new DomainError('not_found', 'scan not found');
    const result = await this.db.scans.getResult(organizationId, scanId);
    return { scan, result: result?.result ?? null };
  }
}
