import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@plumbline/db';
import type { JobQueue } from '@plumbline/jobs';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { DomainError } from '../common/domain-error.js';
import { DATABASE, JOB_QUEUE, LOGGER } from '../common/tokens.js';
import { SCHEDULE_KEY } from '../connections/connections.service.js';
import { AuthCache } from '../auth/auth-cache.js';
import { AuditService } from '../common/audit.service.js';

/** Rows read per query while exporting: memory stays bounded whatever the organisation's size. */
const PAGE = 50;
export const EXPORT_FORMAT = 'plumbline-organization-export';
export const EXPORT_VERSION = 1;

/** Who asked, for the audit trail. */
export interface Actor {
  userId: string;
  ip?: string;
  requestId?: string;
}

/**
 * Writes to an HTTP response with back-pressure: waits for 'drain' when the socket's buffer is
 * full, and stops (throws) when the client has gone away.
 */
class ResponseWriter {
  constructor(private readonly res: Response) {}

  async write(chunk: string | Buffer): Promise<void> {
    if (this.res.destroyed) throw new Error('client disconnected');
    if (this.res.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('client disconnected'));
      this.res.on('drain', onDrain);
      this.res.on('close', onClose);
    });
  }
}

/** Snapshot retention, organisation export and organisation deletion. */
@Injectable()
export class LifecycleService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly cache: AuthCache,
    private readonly audits: AuditService,
  ) {}

  async retention(organizationId: string): Promise<{ snapshotRetentionDays: number }> {
    const days = await this.db.lifecycle.retentionDays(organizationId);
    if (days === null) throw new DomainError('not_found', 'organisation not found');
    return { snapshotRetentionDays: days };
  }

  /** Change the retention; applied by the next daily sweep (03:00 UTC). Audited. */
  async setRetention(
    organizationId: string,
    days: number,
    actor: Actor,
  ): Promise<{ snapshotRetentionDays: number }> {
    const previous = await this.db.lifecycle.setRetentionDays(organizationId, days);
    if (previous === null) throw new DomainError('not_found', 'organisation not found');
    await this.audits.record(
      { organizationId, ...actor },
      'org.retention_change',
      'organization',
      organizationId,
      { from: previous, to: days },
    );
    return { snapshotRetentionDays: days };
  }

  /**
   * Stream all the organisation's data as one JSON document: the small tables first, then
   * scans (each with its analysis result and its snapshot, decompressed straight into the
   * response), evidence (decoded), and the audit log, a page at a time. Secrets never leave:
   * no password hashes, no token hashes, no session data. Audited before the first byte.
   */
  async export(organizationId: string, actor: Actor, res: Response): Promise<void> {
    const header = await this.db.lifecycle.exportHeader(organizationId);
    if (!header) throw new DomainError('not_found', 'organisation not found');
    await this.audits.record(
      { organizationId, ...actor },
      'org.export',
      'organization',
      organizationId,
    );
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="plumbline-${header.organization.slug}-${day}.json"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    const out = new ResponseWriter(res);
    const field = (name: string, value: unknown, first = false) =>
      out.write(`${first ? '' : ','}\n${JSON.stringify(name)}:${JSON.stringify(value)}`);
    try {
      await out.write('{');
      await field('format', EXPORT_FORMAT, true);
      await field('version', EXPORT_VERSION);
      await field('exportedAt', new Date().toISOString());
      for (const [name, value] of Object.entries(header)) await field(name, value);

      await out.write(',\n"scans":[');
      let cursor: string | undefined;
      let first = true;
      for (;;) {
        const page = await this.db.lifecycle.scanPage(organizationId, PAGE, cursor);
        for (const scan of page) {
          const { snapshot, result, ...rest } = scan;
          const head = JSON.stringify({ ...rest, analysisResult: result, snapshotInfo: snapshot });
          // `{...}` without its closing brace, then "snapshot": the stored JSON as it was sent.
          await out.write(`${first ? '' : ','}\n${head.slice(0, -1)},"snapshot":`);
          await this.writeSnapshot(out, organizationId, scan.id);
          await out.write('}');
          first = false;
        }
        if (page.length < PAGE) break;
        cursor = page.at(-1)!.id;
      }
      await out.write(']');

      await out.write(',\n"evidence":[');
      cursor = undefined;
      first = true;
      for (;;) {
        const page = await this.db.lifecycle.evidencePage(organizationId, PAGE, cursor);
        for (const e of page) {
          const { content, ...rest } = e;
          const text = gunzipSync(content).toString('utf8');
          await out.write(`${first ? '' : ','}\n${JSON.stringify({ ...rest, content: text })}`);
          first = false;
        }
        if (page.length < PAGE) break;
        cursor = page.at(-1)!.id;
      }
      await out.write(']');

      await out.write(',\n"auditEvents":[');
      cursor = undefined;
      first = true;
      for (;;) {
        const page = await this.db.lifecycle.auditPage(organizationId, 500, cursor);
        for (const a of page) {
          await out.write(`${first ? '' : ','}\n${JSON.stringify(a)}`);
          first = false;
        }
        if (page.length < 500) break;
        cursor = page.at(-1)!.id;
      }
      await out.write(']\n}\n');
      res.end();
    } catch (e) {
      // Headers are gone: the only honest signal left is a cut connection (invalid JSON).
      this.logger.error(
        { requestId: actor.requestId, organizationId, err: (e as Error).message },
        'organisation export aborted',
      );
      res.destroy();
    }
  }

  private async writeSnapshot(
    out: ResponseWriter,
    organizationId: string,
    scanId: string,
  ): Promise<void> {
    const blob = await this.db.scans.getSnapshotBlob(organizationId, scanId);
    if (!blob) {
      await out.write('null');
      return;
    }
    // Validated JSON when it was uploaded: streamed through without parsing it again.
    for await (const chunk of Readable.from([Buffer.from(blob.gzip)]).pipe(createGunzip()))
      await out.write(chunk as Buffer);
  }

  /**
   * Delete the organisation and everything it owns, in one transaction, if `confirmSlug` is its
   * slug; audited with organizationId null (the event outlives the organisation).
   */
  async delete(organizationId: string, confirmSlug: string, actor: Actor) {
    const connections = await this.db.clusterConnections.list(organizationId);
    const outcome = await this.db.lifecycle.deleteOrganization(organizationId, confirmSlug, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'org.delete',
      ip: actor.ip,
      requestId: actor.requestId,
    });
    if (!outcome.deleted) {
      if (outcome.reason === 'not_found')
        throw new DomainError('not_found', 'organisation not found');
      throw new DomainError(
        'bad_request',
        "confirmSlug does not match the organisation's slug; nothing was deleted",
      );
    }
    this.cache.forgetOrganization(organizationId);
    // Accounts deleted with their last organisation lose their sessions at once in this process.
    for (const userId of outcome.memberUserIds) this.cache.forgetUser(userId);
    this.logger.warn(
      { requestId: actor.requestId, organizationId, counts: outcome.counts },
      'organisation deleted',
    );
    // Its scheduled agentless scans go too (a missed one is removed at the next API start).
    for (const c of connections)
      await this.queue
        .unschedule('cluster.scan', SCHEDULE_KEY(c.id))
        .catch((e: unknown) =>
          this.logger.error(
            { connectionId: c.id, err: (e as Error).message },
            'agentless scan schedule not removed',
          ),
        );
    return {
      deleted: true,
      organizationId,
      slug: outcome.slug,
      counts: outcome.counts,
      usersDeleted: outcome.usersDeleted,
      // The caller's own account went with it when this was their only organisation.
      accountDeleted: (await this.db.users.get(actor.userId)) === null,
    };
  }
}
