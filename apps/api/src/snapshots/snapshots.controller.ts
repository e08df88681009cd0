import { Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Doc } from '../openapi/doc.js';
import { DomainError } from '../common/domain-error.js';
import { SnapshotsService, type UploadResult } from './snapshots.service.js';

/** Scanner uploads. The body is read raw (see main.ts) so gzip is handled here, with limits. */
@Controller('v1/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Post()
  @Doc({
    tag: 'scanner',
    auth: 'scanner-token',
    summary:
      'Upload a cluster snapshot (JSON, optionally gzip); idempotent by content; 202 with the scan',
    status: 202,
  })
  async upload(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UploadResult> {
    const scanner = await this.snapshots.authenticate(req.header('authorization'));
    const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const encoding = (req.header('x-plumbline-content-encoding') ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding !== 'gzip' && encoding !== 'identity')
      throw new DomainError(
        'unsupported_media_type',
        `Content-Encoding "${encoding}" is not supported; send gzip or identity`,
      );
    const gzipped = encoding === 'gzip' || type === 'application/gzip';
    if (!gzipped && type !== 'application/json') {
      throw new DomainError(
        'unsupported_media_type',
        'send application/json, optionally with Content-Encoding: gzip',
      );
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new DomainError('bad_request', 'empty body');
    }
    // gzip is recognised by its magic bytes; a gzip-declared body that is not gzip is a 400.
    if (gzipped && !(req.body[0] === 0x1f && req.body[1] === 0x8b))
      throw new DomainError('bad_request', 'body is not valid gzip');
    const result = await this.snapshots.upload(scanner, req.body, req.requestId);
    res.status(result.duplicate ? 200 : 202);
    return result;
  }
}
