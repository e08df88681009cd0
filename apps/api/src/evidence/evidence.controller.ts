import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { EVIDENCE_KINDS, text } from '@plumbline/contracts';
import { z } from 'zod';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { actorOf } from '../common/audit.service.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { EvidenceService } from './evidence.service.js';

const KINDS = [...EVIDENCE_KINDS, 'vm-inventory'] as const;

const uploadSchema = z
  .object({
    filename: text().trim().min(1).max(200),
    /** Detected from the content when omitted (VM inventories must be named). */
    kind: z.enum(KINDS).optional(),
    /** The file's text: JSON, JSON Lines (decision logs) or CSV (VM inventory). */
    content: text()
      .min(1)
      .max(5 * 1024 * 1024),
  })
  .strict();

/**
 * Evidence beyond the snapshot: MCP client configs, agent cards, OTLP samples, decision logs,
 * probe reports, attestations, self-assessment answers, VM inventories. Each is validated by its
 * contract before anything is stored; the analyses and the organisation roll-up follow.
 */
@Controller('v1/orgs/:orgId/evidence')
@UseGuards(SessionGuard, OrgGuard)
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get()
  @Doc({
    tag: 'evidence',
    auth: 'org',
    summary: 'Evidence uploads of the organisation (metadata and summaries, no content)',
  })
  async list(@Req() req: AuthedRequest) {
    return { items: await this.evidence.list(orgOf(req).organizationId) };
  }

  @Post()
  @Doc({
    tag: 'evidence',
    auth: 'org',
    minRole: 'member',
    summary:
      'Upload evidence (validated by its contract; the clusters are re-analysed with it and the roll-up follows)',
    body: uploadSchema,
    status: 201,
  })
  @MinRole('member')
  @HttpCode(201)
  async upload(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.evidence.upload(actorOf(req), parseBody(uploadSchema, body));
  }

  @Delete(':evidenceId')
  @Doc({
    tag: 'evidence',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Delete an evidence upload (audited; the clusters are re-analysed without it and the roll-up follows)',
    status: 204,
  })
  @MinRole('admin')
  @HttpCode(204)
  async remove(@Req() req: AuthedRequest, @Param('evidenceId') evidenceId: string) {
    await this.evidence.delete(actorOf(req), uuidOr404(evidenceId, 'evidence upload'));
  }
}
