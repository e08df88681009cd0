/**
 * Live collection from a directly given endpoint (agentless scans): bearer token, CA data, TLS
 * always verified against the URL's host name, a pinned address that DNS cannot change, and the
 * bounds an untrusted endpoint needs (connect/request timeouts, answer size, whole-scan deadline).
 */
import { parseClusterSnapshot } from '@plumbline/contracts';
import {
  createCertificate,
  startKubeSim,
  type KubeSim,
  type TlsMaterial,
} from '@plumbline/kube-sim';
import { generateCluster } from '@plumbline/scenarios';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConnectError } from '../src/connect.js';
import { KubeApiAbortedError } from '../src/kube-api.js';
import { collectLive, type LiveOptions } from '../src/live.js';

jest.setTimeout(30_000);

const NAME = 'cluster.plumbline.test';
let tls: TlsMaterial;
let otherCa: TlsMaterial;
let sim: KubeSim;
const cluster = generateCluster({ seed: 'endpoint', pods: 40, policies: 5 });
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  tls = await createCertificate([NAME]);
  otherCa = await createCertificate();
  sim = await startKubeSim({ tls, objects: cluster.objects, token: 'endpoint-token-123' });
});
afterAll(async () => {
  expect(new Set(sim.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  await sim.close();
  for (const close of closers) await close();
});

const port = () => new URL(sim.url).port;

function options(source: LiveOptions['source'], extra: Partial<LiveOptions> = {}): LiveOptions {
  return {
    source,
    scanner: { name: 'plumbline-agentless', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    clusterName: 'endpoint',
    includeSecretMetadata: false,
    fingerprintKey: new Uint8Array(32).fill(3),
    retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  };
}

describe('endpoint source', () => {
  it('scans with a bearer token and the CA data, by address', async () => {
    const { snapshot } = await collectLive(
      options({ kind: 'endpoint', server: sim.url, token: 'endpoint-token-123', caData: tls.cert }),
    );
    expect(parseClusterSnapshot(snapshot).ok).toBe(true);
    expect(snapshot.cluster.idSource).toBe('kube-system-uid');
    expect(snapshot.networkPolicies).toHaveLength(cluster.counts.networkPolicies);
  });

  it('connects to the pinned address and verifies TLS against the URL host name', async () => {
    // The name does not resolve anywhere: only the pinned address can make this work.
    const server = `https://${NAME}:${port()}`;
    const pinned = { address: '127.0.0.1', family: 4 as const };
    const { snapshot } = await collectLive(
      options({
        kind: 'endpoint',
        server,
        token: 'endpoint-token-123',
        caData: tls.cert,
        pinnedAddress: pinned,
      }),
    );
    expect(parseClusterSnapshot(snapshot).ok).toBe(true);
    // The certificate is not valid for this name: verification uses the name, not the address.
    await expect(
      collectLive(
        options({
          kind: 'endpoint',
          server: `https://other.plumbline.test:${port()}`,
          token: 'endpoint-token-123',
          caData: tls.cert,
          pinnedAddress: pinned,
        }),
      ),
    ).rejects.toThrow(/altnames|does not match|Hostname\/IP/i);
  });

  it('never skips TLS verification: a wrong CA or none (self-signed server) fails', async () => {
    for (const caData of [otherCa.cert, undefined]) {
      await expect(
        collectLive(
          options({ kind: 'endpoint', server: sim.url, token: 'endpoint-token-123', caData }),
        ),
      ).rejects.toThrow(/certificate/i);
    }
  });

  it('refuses plain http and URLs with credentials, before any request', async () => {
    const before = sim.requests.length;
    for (const server of [
      sim.url.replace('https:', 'http:'),
      sim.url.replace('https://', 'https://user:pw@'),
      `${sim.url}/?x=1`,
    ]) {
      await expect(
        collectLive(options({ kind: 'endpoint', server, token: 't', caData: tls.cert })),
      ).rejects.toThrow(ConnectError);
    }
    expect(sim.requests.length).toBe(before);
  });

  it('a wrong token fails the scan and never appears in the error', async () => {
    const failure = await collectLive(
      options({ kind: 'endpoint', server: sim.url, token: 'wrong-token-456', caData: tls.cert }),
    ).catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toContain('wrong-token-456');
  });
});

describe('bounds for untrusted endpoints', () => {
  it('an answer larger than the limit is refused without retrying it', async () => {
    const before = sim.requests.filter((r) => r.path === '/api/v1').length;
    await expect(
      collectLive(
        options(
          { kind: 'endpoint', server: sim.url, token: 'endpoint-token-123', caData: tls.cert },
          {
            limits: { maxResponseBytes: 512 },
            retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 },
          },
        ),
      ),
    ).rejects.toThrow(/larger than 512 bytes/);
    expect(sim.requests.filter((r) => r.path === '/api/v1').length - before).toBe(1);
  });

  it('a scan past its deadline fails instead of returning a partial snapshot', async () => {
    const slow = await startKubeSim({
      tls,
      objects: cluster.objects,
      token: null,
      faults: [{ status: 429, every: 1, count: 1, retryAfterSeconds: 1 }],
    });
    closers.push(() => slow.close());
    await expect(
      collectLive(
        options(
          { kind: 'endpoint', server: slow.url, token: 'x', caData: tls.cert },
          {
            limits: { scanTimeoutMs: 200 },
            retry: { maxRetries: 50, baseDelayMs: 1000, maxDelayMs: 1000 },
          },
        ),
      ),
    ).rejects.toThrow(KubeApiAbortedError);
  });

  it('a server that accepts TCP but never completes TLS hits the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise<void>((r) => {
          sockets.forEach((s) => s.destroy());
          silent.close(() => r());
        }),
    );
    const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await expect(
      collectLive(
        options(
          { kind: 'endpoint', server: url, token: 'x', caData: tls.cert },
          { limits: { connectTimeoutMs: 150 } },
        ),
      ),
    ).rejects.toThrow(/could not connect in 150 ms/);
  });

  it('a server that never answers hits the request timeout', async () => {
    const mute: HttpsServer = createHttpsServer({ key: tls.key, cert: tls.cert }, () => undefined);
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise<void>((r) => {
          mute.closeAllConnections();
          mute.close(() => r());
        }),
    );
    const url = `https://127.0.0.1:${(mute.address() as AddressInfo).port}`;
    await expect(
      collectLive(
        options(
          { kind: 'endpoint', server: url, token: 'x', caData: tls.cert },
          { limits: { requestTimeoutMs: 150 } },
        ),
      ),
    ).rejects.toThrow(/no complete answer in 150 ms/);
  });
});
