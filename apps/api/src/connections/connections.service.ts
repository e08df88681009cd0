import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type {
  AuditAction,
  CreateClusterConnectionRequest,
  UpdateClusterConnectionRequest,
} from '@plumbline/contracts';
import {
  DuplicateConnectionNameError,
  type ClusterConnectionChanges,
  type ClusterConnectionView,
  type Database,
} from '@plumbline/db';
import {
  checkServer,
  EgressRefusedError,
  NO_KEY_MESSAGE,
  RETRY_POLICY,
  sealSecret,
  type AgentlessSettings,
  type JobQueue,
  type Keyring,
} from '@plumbline/jobs';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { DomainError } from '../common/domain-error.js';
import { AuditService } from '../common/audit.service.js';
import { AGENTLESS, DATABASE, JOB_QUEUE, LOGGER } from '../common/tokens.js';

/** Who asks, for the audit log. */
export interface Actor {
  userId: string;
  ip?: string;
  requestId?: string;
}

/** A connection as the API returns it: never the token or the CA data. */
export interface ClusterConnectionResponse {
  id: string;
  name: string;
  server: string;
  clusterId: string | null;
  hasCaData: boolean;
  tokenFingerprint: string;
  scheduleMinutes: number | null;
  enabled: boolean;
  lastStatus: string | null;
  lastError: string | null;
  lastScanId: string | null;
  lastScanAt: Date | null;
  scanRequestedAt: Date | null;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function toResponse(c: ClusterConnectionView): ClusterConnectionResponse {
  return {
    id: c.id,
    name: c.name,
    server: c.server,
    clusterId: c.clusterId,
    hasCaData: c.hasCaData,
    tokenFingerprint: c.tokenFingerprint,
    scheduleMinutes: c.scheduleMinutes,
    enabled: c.enabled,
    lastStatus: c.lastStatus,
    lastError: c.lastError,
    lastScanId: c.lastScanId,
    lastScanAt: c.lastScanAt,
    scanRequestedAt: c.scanRequestedAt,
    createdById: c.createdById,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Tells tokens apart without revealing them: the first 12 hex digits of their SHA-256. */
function fingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** PEM text, or base64 of it (a kubeconfig's certificate-authority-data), checked to parse. */
function normaliseCaData(input: string): string {
  const text = input.includes('-----BEGIN')
    ? input
    : Buffer.from(input.replace(/\s+/g, ''), 'base64').toString('utf8');
  const certs = text.match(PEM_CERT) ?? [];
  if (!certs.length)
    throw new DomainError(
      'validation_failed',
      'caData must be PEM certificates, or their base64 (certificate-authority-data)',
    );
  for (const pem of certs) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new DomainError('validation_failed', 'caData holds a certificate that does not parse');
    }
  }
  return `${certs.join('\n')}\n`;
}

/** The queue's schedule key of a connection's scans (also removed by organisation deletion). */
export const SCHEDULE_KEY = (connectionId: string) => `connection-${connectionId}`;

/**
 * Agentless scans: registering cluster API endpoints (credentials encrypted, endpoint checked
 * by the egress guard), their schedules, and on-demand scans (a `cluster.scan` job).
 */
@Injectable()
export class ConnectionsService implements OnApplicationBootstrap {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(AGENTLESS) private readonly settings: AgentlessSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audits: AuditService,
  ) {}

  /** At start, bring the queue's schedules in line with the table (both ways). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const want = new Map(
        (await this.db.clusterConnections.listScheduled()).map((c) => [SCHEDULE_KEY(c.id), c]),
      );
      const have = new Map(
        (await this.queue.schedules('cluster.scan')).map((s) => [s.key, s.everyMs]),
      );
      for (const key of have.keys())
        if (!want.has(key)) await this.queue.unschedule('cluster.scan', key);
      for (const [key, c] of want) {
        const everyMs = c.scheduleMinutes * 60_000;
        if (have.get(key) !== everyMs)
          await this.queue.schedule(
            key,
            'cluster.scan',
            { organizationId: c.organizationId, connectionId: c.id },
            everyMs,
          );
      }
    } catch (e) {
      this.logger.warn(
        { err: (e as Error).message },
        'agentless scan schedules not synchronised; they are retried at the next start',
      );
    }
  }

  private keyring(): Keyring {
    if (!this.settings.keyring) throw new DomainError('unavailable', NO_KEY_MESSAGE);
    return this.settings.keyring;
  }

  /** The egress guard, at registration and before each on-demand scan (the job checks again). */
  private async checkServer(server: string): Promise<string> {
    try {
      const checked = await checkServer(server, this.settings.egress, {
        timeoutMs: this.settings.limits.connectTimeoutMs,
        resolve: this.settings.resolve,
      });
      return checked.server;
    } catch (e) {
      if (e instanceof EgressRefusedError)
        throw new DomainError('validation_failed', `the API server is refused: ${e.message}`);
      throw e;
    }
  }

  private async syncSchedule(organizationId: string, c: ClusterConnectionView): Promise<void> {
    const key = SCHEDULE_KEY(c.id);
    try {
      if (c.enabled && c.scheduleMinutes)
        await this.queue.schedule(
          key,
          'cluster.scan',
          { organizationId, connectionId: c.id },
          c.scheduleMinutes * 60_000,
        );
      else await this.queue.unschedule('cluster.scan', key);
    } catch (e) {
      // The row is the truth; the next start reconciles the queue with it.
      this.logger.error(
        { connectionId: c.id, err: (e as Error).message },
        'agentless scan schedule not updated',
      );
    }
  }

  private audit(
    organizationId: string,
    actor: Actor,
    action: AuditAction,
    connectionId: string,
    metadata?: Record<string, unknown>,
  ) {
    return this.audits.record(
      { organizationId, ...actor },
      action,
      'cluster_connection',
      connectionId,
      metadata,
    );
  }

  async list(organizationId: string): Promise<ClusterConnectionResponse[]> {
    return (await this.db.clusterConnections.list(organizationId)).map(toResponse);
  }

  private async existing(organizationId: string, id: string): Promise<ClusterConnectionView> {
    const c = await this.db.clusterConnections.get(organizationId, id);
    if (!c) throw new DomainError('not_found', 'cluster connection not found');
    return c;
  }

  async get(organizationId: string, id: string): Promise<ClusterConnectionResponse> {
    return toResponse(await this.existing(organizationId, id));
  }

  async create(
    organizationId: string,
    actor: Actor,
    body: CreateClusterConnectionRequest,
  ): Promise<ClusterConnectionResponse> {
    const keyring = this.keyring();
    const server = await this.checkServer(body.server);
    const caData = body.caData === undefined ? undefined : normaliseCaData(body.caData);
    const id = randomUUID();
    const ctx = { organizationId, connectionId: id };
    let created: ClusterConnectionView;
    try {
      created = await this.db.clusterConnections.create(organizationId, {
        id,
        name: body.name,
        server,
        tokenCiphertext: sealSecret(keyring, body.token, { ...ctx, field: 'token' }),
        caDataCiphertext:
          caData === undefined ? null : sealSecret(keyring, caData, { ...ctx, field: 'caData' }),
        tokenFingerprint: fingerprint(body.token),
        scheduleMinutes: body.scheduleMinutes ?? null,
        enabled: body.enabled ?? true,
        createdById: actor.userId,
      });
    } catch (e) {
      if (e instanceof DuplicateConnectionNameError) throw new DomainError('conflict', e.message);
      throw e;
    }
    await this.syncSchedule(organizationId, created);
    await this.audit(organizationId, actor, 'cluster_connection.create', id, {
      name: created.name,
      server,
      scheduleMinutes: created.scheduleMinutes,
    });
    return toResponse(created);
  }

  async update(
    organizationId: string,
    actor: Actor,
    id: string,
    body: UpdateClusterConnectionRequest,
  ): Promise<ClusterConnectionResponse> {
    await this.existing(organizationId, id);
    const changes: ClusterConnectionChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.scheduleMinutes !== undefined) changes.scheduleMinutes = body.scheduleMinutes;
    if (body.enabled !== undefined) changes.enabled = body.enabled;
    const ctx = { organizationId, connectionId: id };
    if (body.token !== undefined || body.caData !== undefined || body.server !== undefined) {
      const keyring = this.keyring();
      if (body.server !== undefined) changes.server = await this.checkServer(body.server);
      if (body.token !== undefined) {
        changes.tokenCiphertext = sealSecret(keyring, body.token, { ...ctx, field: 'token' });
        changes.tokenFingerprint = fingerprint(body.token);
      }
      if (body.caData === null) changes.caDataCiphertext = null;
      else if (body.caData !== undefined)
        changes.caDataCiphertext = sealSecret(keyring, normaliseCaData(body.caData), {
          ...ctx,
          field: 'caData',
        });
    }
    let updated: ClusterConnectionView | null;
    try {
      updated = await this.db.clusterConnections.update(organizationId, id, changes);
    } catch (e) {
      if (e instanceof DuplicateConnectionNameError) throw new DomainError('conflict', e.message);
      throw e;
    }
    if (!updated) throw new DomainError('not_found', 'cluster connection not found');
    if (body.scheduleMinutes !== undefined || body.enabled !== undefined)
      await this.syncSchedule(organizationId, updated);
    // Which fields changed, never their values.
    await this.audit(organizationId, actor, 'cluster_connection.update', id, {
      changed: Object.keys(body).sort(),
      ...(body.token !== undefined ? { tokenFingerprint: updated.tokenFingerprint } : {}),
    });
    return toResponse(updated);
  }

  async delete(organizationId: string, actor: Actor, id: string): Promise<void> {
    const c = await this.existing(organizationId, id);
    if (!(await this.db.clusterConnections.delete(organizationId, id)))
      throw new DomainError('not_found', 'cluster connection not found');
    await this.syncSchedule(organizationId, { ...c, enabled: false });
    await this.audit(organizationId, actor, 'cluster_connection.delete', id, { name: c.name });
  }

  /** Queue an on-demand scan; one at a time per connection. */
  async requestScan(
    organizationId: string,
    actor: Actor,
    id: string,
  ): Promise<{ connectionId: string; jobId: string; status: 'queued' }> {
    const c = await this.existing(organizationId, id);
    if (!c.enabled)
      throw new DomainError('conflict', 'the connection is disabled; enable it before scanning');
    this.keyring();
    await this.checkServer(c.server);
    // A scan counts as in progress for as long as all its attempts could take.
    const window = this.settings.limits.scanTimeoutMs * RETRY_POLICY.attempts + 60_000;
    const now = new Date();
    const free = await this.db.clusterConnections.requestScan(
      organizationId,
      id,
      new Date(now.getTime() - window),
      now,
    );
    if (!free)
      throw new DomainError('conflict', 'a scan of this connection is already queued or running');
    let job;
    try {
      job = await this.queue.enqueue(
        'cluster.scan',
        { organizationId, connectionId: id },
        { requestId: actor.requestId },
      );
    } catch (e) {
      await this.db.clusterConnections.setStatus(organizationId, id, 'failed', 'not queued');
      throw e;
    }
    await this.audit(organizationId, actor, 'cluster_connection.scan_request', id, {
      jobId: job.id,
    });
    return { connectionId: id, jobId: job.id, status: 'queued' };
  }
}
