import {
  collectLive,
  ConnectError,
  KubeApiAbortedError,
  serializeSnapshot,
} from '@plumbline/collector';
import type { Database } from '@plumbline/db';
import { randomBytes } from 'node:crypto';
import { checkServer, EgressRefusedError } from '../agentless/egress.js';
import {
  openSecret,
  SealError,
  sealedKeyId,
  sealSecret,
  type Keyring,
} from '../agentless/sealing.js';
import { NO_KEY_MESSAGE, withoutSecrets, type AgentlessSettings } from '../agentless/settings.js';
import { ingestSnapshot, SnapshotRejectedError } from '../ingest.js';
import { PermanentJobError, type FollowUp, type JobContext, type JobHandler } from '../port.js';
import { analyzeScan } from './snapshot-analyze.js';

/** Collector retries inside one attempt; the job's own retries (3, backoff) come on top. */
const COLLECTOR_RETRY = { maxRetries: 2, baseDelayMs: 250, maxDelayMs: 2000 };

function decrypt(
  keyring: Keyring,
  organizationId: string,
  connectionId: string,
  sealed: { token: Uint8Array; caData: Uint8Array | null },
): { token: string; caData: string | undefined } {
  try {
    return {
      token: openSecret(keyring, sealed.token, { organizationId, connectionId, field: 'token' }),
      caData: sealed.caData
        ? openSecret(keyring, sealed.caData, { organizationId, connectionId, field: 'caData' })
        : undefined,
    };
  } catch (e) {
    if (e instanceof SealError) throw new PermanentJobError(`credentials: ${e.message}`);
    throw e;
  }
}

/**
 * cluster.scan: an agentless scan of a registered API endpoint. Loads the connection (scoped by
 * organisation), decrypts its credentials, checks the endpoint against the egress guard again
 * (DNS may have changed since registration) and connects to the checked address only, with
 * bounded timeouts and answer sizes. The snapshot then takes the same path as an upload
 * (contract, gzip, content hash, `snapshot.analyze`). Errors are recorded on the connection in
 * words, never with the token.
 */
export function clusterScanHandler(
  db: Database,
  settings: AgentlessSettings,
  followUp?: FollowUp,
): JobHandler<'cluster.scan'> {
  return {
    name: 'cluster.scan',
    async run({ payload, requestId }, ctx) {
      const { organizationId, connectionId } = payload;
      const found = await db.clusterConnections.getSecrets(organizationId, connectionId);
      if (!found) throw new PermanentJobError(`cluster connection ${connectionId} not found`);
      const { connection } = found;
      if (!connection.enabled) {
        ctx.log.info({ organizationId, connectionId }, 'cluster connection disabled; not scanned');
        await db.clusterConnections.setStatus(
          organizationId,
          connectionId,
          'failed',
          'the connection is disabled',
        );
        return;
      }
      if (!settings.keyring) throw new PermanentJobError(NO_KEY_MESSAGE);
      await db.clusterConnections.setStatus(organizationId, connectionId, 'running');
      const secrets = decrypt(settings.keyring, organizationId, connectionId, {
        token: found.tokenCiphertext,
        caData: found.caDataCiphertext,
      });
      try {
        const scanned = await scan(db, settings, organizationId, connection, secrets, ctx);
        if (scanned.queueAnalysis) {
          const analyze = { organizationId, scanId: scanned.scanId };
          if (followUp)
            await followUp('snapshot.analyze', analyze, requestId, {
              jobId: `analyze-${scanned.scanId}`,
            });
          else await analyzeScan(db, organizationId, scanned.scanId, ctx);
        }
        await db.clusterConnections.recordSuccess(organizationId, connectionId, scanned);
        await resealIfOld(db, settings.keyring, organizationId, connectionId, found, secrets);
        await db.audit.record({
          organizationId,
          actorType: 'system',
          action: 'cluster_connection.scan',
          targetType: 'cluster_connection',
          targetId: connectionId,
          metadata: { scanId: scanned.scanId, clusterId: scanned.clusterId, ...scanned.stats },
          requestId,
        });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const message = withoutSecrets(err.message, [secrets.token, secrets.caData]);
        ctx.log.warn(
          { organizationId, connectionId, attempt: ctx.attempt, err: message },
          'cluster scan failed',
        );
        throw err instanceof PermanentJobError
          ? new PermanentJobError(message)
          : new Error(message);
      }
    },
    async onFinalFailure({ payload }, error) {
      await db.clusterConnections.setStatus(
        payload.organizationId,
        payload.connectionId,
        'failed',
        error.message,
      );
    },
  };
}

async function scan(
  db: Database,
  settings: AgentlessSettings,
  organizationId: string,
  connection: { id: string; name: string; server: string },
  secrets: { token: string; caData: string | undefined },
  ctx: JobContext,
): Promise<{
  scanId: string;
  clusterId: string;
  queueAnalysis: boolean;
  stats: { objects: number; requests: number };
}> {
  const { limits } = settings;
  let checked;
  try {
    checked = await checkServer(connection.server, settings.egress, {
      timeoutMs: limits.connectTimeoutMs,
      resolve: settings.resolve,
    });
  } catch (e) {
    if (e instanceof EgressRefusedError)
      throw new PermanentJobError(`the API server is refused: ${e.message}`);
    throw e;
  }
  let result;
  try {
    result = await collectLive({
      source: {
        kind: 'endpoint',
        server: checked.server,
        token: secrets.token,
        caData: secrets.caData,
        pinnedAddress: checked.pinned,
      },
      scanner: settings.scanner,
      collectedAt: new Date().toISOString(),
      clusterName: connection.name,
      includeSecretMetadata: false,
      fingerprintKey: randomBytes(32),
      retry: COLLECTOR_RETRY,
      limits: {
        connectTimeoutMs: limits.connectTimeoutMs,
        requestTimeoutMs: limits.requestTimeoutMs,
        maxResponseBytes: limits.maxResponseBytes,
        scanTimeoutMs: limits.scanTimeoutMs,
      },
      log: (level, message) => {
        if (level === 'warn') ctx.log.warn({ connectionId: connection.id }, message);
      },
    });
  } catch (e) {
    if (e instanceof ConnectError || e instanceof KubeApiAbortedError)
      throw new PermanentJobError(e.message);
    throw new Error(`cannot scan the cluster: ${(e as Error).message}`, { cause: e });
  }
  let stored;
  try {
    stored = await ingestSnapshot(db, organizationId, serializeSnapshot(result.snapshot), {
      maxDecompressedBytes: limits.maxSnapshotBytes,
    });
  } catch (e) {
    if (e instanceof SnapshotRejectedError)
      throw new PermanentJobError(`the snapshot was refused: ${e.message}`);
    throw e;
  }
  ctx.log.info(
    { organizationId, connectionId: connection.id, scanId: stored.scan.id },
    'cluster scanned',
  );
  return {
    scanId: stored.scan.id,
    clusterId: stored.cluster.id,
    // A retry after a crash finds its own snapshot again: queue the analysis if still pending.
    queueAnalysis: stored.created || stored.scan.status === 'queued',
    stats: { objects: result.stats.objects, requests: result.stats.requests },
  };
}

/** Values encrypted under an older key are re-encrypted under the current one after a scan. */
async function resealIfOld(
  db: Database,
  keyring: Keyring,
  organizationId: string,
  connectionId: string,
  sealed: { tokenCiphertext: Uint8Array; caDataCiphertext: Uint8Array | null },
  secrets: { token: string; caData: string | undefined },
): Promise<void> {
  const old = [sealed.tokenCiphertext, sealed.caDataCiphertext].some(
    (c) => c !== null && sealedKeyId(c) !== keyring.currentId,
  );
  if (!old) return;
  await db.clusterConnections.reseal(organizationId, connectionId, {
    tokenCiphertext: sealSecret(keyring, secrets.token, {
      organizationId,
      connectionId,
      field: 'token',
    }),
    caDataCiphertext:
      secrets.caData === undefined
        ? null
        : sealSecret(keyring, secrets.caData, { organizationId, connectionId, field: 'caData' }),
  });
}
