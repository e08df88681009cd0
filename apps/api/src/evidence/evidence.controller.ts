import { Body, Controller, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { EVIDENCE_KINDS, parseEvidenceText, type EvidenceKind } from '@plumbline/contracts';
import { parseVmInventoryCsv } from '@plumbline/cost';
import type { Database } from '@plumbline/db';
import type { JobQueue } from '@plumbline/jobs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { Doc } from '../openapi/doc.js';
import { DomainError } from '../common/domain-error.js';
import { DATABASE, JOB_QUEUE } from '../common/tokens.js';
import { parseBody } from '../common/validate.js';

const KINDS = [...EVIDENCE_KINDS, 'vm-inventory'] as const;

const uploadSchema = z
  .object({
    filename: z.string().trim().min(1).max(200),
    /** Detected from the content when omitted (VM inventories must be named). */
    kind: z.enum(KINDS).optional(),
    /** The file's text: JSON, JSON Lines (decision logs) or CSV (VM inventory). */
    content: z
      .string()
      .min(1)
      .max(5 * 1024 * 1024),
  })
  .strict();

/**
 * Evidence beyond the snapshot: MCP client configs, agent cards, OTLP samples, decision logs,
 * probe reports, attestations, self-assessment answers, VM inventories. Each is validated by its
 * contract before anything is stored; the organisation roll-up is recomputed afterwards.
 */
@Controller('v1/orgs/:orgId/evidence')
@UseGuards(SessionGuard, OrgGuard)
export class EvidenceController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  @Get()
  @Doc({
    tag: 'evidence',
    auth: 'org',
    summary: 'Evidence uploads of the organisation (metadata and summaries, no content)',
  })
  async list(@Req() req: AuthedRequest) {
    return { items: await this.db.evidence.list(orgOf(req).organizationId) };
  }

  @Post()
  @Doc({
    tag: 'evidence',
    auth: 'org',
    minRole: 'member',
    summary: 'Upload evidence (validated by its contract; the roll-up is recomputed)',
    body: uploadSchema,
    status: 201,
  })
  @MinRole('member')
  @HttpCode(201)
  async upload(@Req() req: AuthedRequest, @Body() body: unknown) {
    const data = parseBody(uploadSchema, body);
    const organizationId = orgOf(req).organizationId;
    let kind: string;
    let summary: unknown;
    if (data.kind === 'vm-inventory') {
      const csv = parseVmInventoryCsv(data.content);
      if (!csv.rows.length) {
        throw new DomainError(
          'validation_failed',
          'the VM inventory has no valid rows',
          csv.errors.map((e) => `line ${e.line}: ${e.message}`),
        );
      }
      kind = 'vm-inventory';
      summary = { vms: csv.rows.length, errors: csv.errors };
    } else {
      const parsed = parseEvidenceText(
        data.content,
        data.filename,
        data.kind as EvidenceKind | undefined,
      );
      if (!parsed.ok) {
        throw new DomainError(
          'validation_failed',
          'evidence does not match its contract',
          parsed.issues.map((i) => `${i.path}: ${i.message}`),
        );
      }
      kind = parsed.evidence.kind;
      summary = { kind };
    }
    const text = Buffer.from(data.content, 'utf8');
    const record = await this.db.evidence.create(organizationId, {
      kind,
      filename: data.filename,
      contentHash: createHash('sha256').update(text).digest('hex'),
      content: new Uint8Array(gzipSync(text)),
      summary,
      uploadedById: authOf(req).user.id,
    });
    await this.db.audit.record({
      organizationId,
      actorType: 'user',
      actorId: authOf(req).user.id,
      action: 'evidence.upload',
      targetType: 'evidence',
      targetId: record.id,
      metadata: { kind, filename: data.filename },
      ip: req.ip,
      requestId: req.requestId,
    });
    await this.queue.enqueue(
      'org.rollup',
      { organizationId, reason: `evidence uploaded (${kind})` },
      { requestId: req.requestId },
    );
    return record;
  }
}
