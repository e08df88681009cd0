import {
  clusterSnapshotSchema,
  emptySnapshot,
  parseClusterSnapshot,
  type ClusterSnapshot,
} from './cluster-snapshot.js';

const base = (): ClusterSnapshot =>
  emptySnapshot({
    scanner: { name: 'plumbline-scanner', version: '0.1.0' },
    collectedAt: '2026-11-26T10:00:00Z',
    mode: 'offline',
    cluster: {
      name: 'prod',
      id: 'declared-1',
      idSource: 'declared',
      kubernetesVersion: null,
      provider: 'unknown',
      providerEvidence: [],
      nodeCount: 3,
      nodeCountSource: 'declared',
    },
  });

describe('ClusterSnapshot contract', () => {
  it('accepts an empty snapshot and a realistic workload', () => {
    const s = base();
    s.workloads.push({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'agent',
      uid: null,
      labels: { app: 'agent' },
      replicas: 2,
      selector: { matchLabels: { app: 'agent' }, matchExpressions: [] },
      podLabels: { app: 'agent' },
      podAnnotations: {},
      serviceAccountName: 'agent',
      automountServiceAccountToken: false,
      hostNetwork: false,
      hostPID: false,
      runtimeClassName: 'gvisor',
      schedule: null,
      owner: null,
      containers: [
        {
          name: 'main',
          init: false,
          image: 'ghcr.io/example/agent:1.0',
          command: [],
          args: ['--token=[REDACTED]'],
          ports: [{ name: 'http', containerPort: 8080, hostPort: null, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m' }, limits: {} },
          securityContext: {
            privileged: null,
            runAsNonRoot: true,
            runAsUser: null,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilitiesAdd: [],
            capabilitiesDrop: ['ALL'],
          },
          env: [
            { name: 'OPENAI_API_KEY', source: 'secretKeyRef', secretName: 'openai', key: 'key' },
            {
              name: 'LOG_MODE',
              source: 'literal',
              value: 'json',
              looksLikeCredential: false,
              fingerprint: 'ab12',
            },
            { name: 'LEAKED', source: 'literal', looksLikeCredential: true, fingerprint: 'cd34' },
          ],
          envFrom: [],
        },
      ],
      secretVolumes: [],
      configMapVolumes: [],
    });
    expect(parseClusterSnapshot(s)).toEqual({ ok: true, snapshot: s });
  });

  it('rejects a wrong version, unknown fields and bad enums with readable paths', () => {
    const s = base() as unknown as Record<string, unknown>;
    const r = parseClusterSnapshot({
      ...s,
      schemaVersion: 2,
      extra: true,
      cluster: { ...(s.cluster as object), provider: 'mainframe' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const lines = r.issues.map((i) => `${i.path}: ${i.message}`);
      expect(lines).toEqual(
        expect.arrayContaining([
          'schemaVersion: schemaVersion must be 1',
          expect.stringMatching(/^cluster\.provider: /),
          expect.stringMatching(/^\(root\): Unrecognized key.*extra/),
        ]),
      );
    }
  });

  it('refuses a literal env var that smuggles a secret in an unknown field', () => {
    const s = base();
    const bad = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    (bad.workloads as unknown[]).push({
      ...JSON.parse(JSON.stringify({})),
    });
    const r = clusterSnapshotSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const env = {
      name: 'X',
      source: 'literal',
      looksLikeCredential: true,
      fingerprint: null,
      secret: 'sk-123',
    };
    expect(
      clusterSnapshotSchema.shape.workloads.element.shape.containers.element.shape.env.element.safeParse(
        env,
      ).success,
    ).toBe(false);
  });

  it('names missing top-level lists', () => {
    const r = parseClusterSnapshot({ schemaVersion: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['scanner', 'collectedAt', 'cluster', 'workloads']),
      );
    }
  });
});
