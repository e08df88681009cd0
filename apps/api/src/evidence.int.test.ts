import type { INestApplication } from '@nestjs/common';
import { collectOffline, serializeSnapshot } from '@plumbline/collector';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { signup, waitFor } from '../test/helpers.js';
import { createApp } from './app.js';

const AGENTS = resolve(__dirname, '../../../packages/agents/test');

type Rollup = {
  agents: { status: string; pillars: { pillar: string; level: number | null }[] };
};

describe('evidence uploads move the organisation roll-up (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let cookie: string;
  let csrf: string;
  let orgId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase('evidence');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    );
    await app.init();
    ({ cookie, csrf, orgId } = await signup(app, 'ops@agents.test', 'Agents Inc'));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const post = (path: string, body: object) =>
    request(app.getHttpServer())
      .post(path)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send(body);

  it('a decision-log upload is validated, stored, audited, and lifts an accountability pillar', async () => {
    const { token } = await db.scannerTokens.create(orgId, { name: 'agents' });
    const { snapshot } = collectOffline({
      dir: join(AGENTS, 'manifests'),
      paths: ['crewai-research.yaml'],
      scanner: { name: 'plumbline-scanner', version: 'test' },
      collectedAt: '2026-11-26T00:00:00.000Z',
      clusterName: 'agents-prod',
      nodeCount: 3,
      includeSecretMetadata: false,
      fingerprintKey: new Uint8Array(32),
    });
    const upload = await request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(serializeSnapshot(snapshot).toString('utf8'));
    expect(upload.status).toBe(202);
    const before = await waitFor(
      'the first roll-up',
      async () => (await db.rollups.get(orgId)) ?? null,
    );
    const beforeResult = before.result as Rollup;
    expect(beforeResult.agents.status).toBe('assessed');

    const bad = await post(`/v1/orgs/${orgId}/evidence`, {
      filename: 'broken.json',
      content: '{"mcpServers": 5}',
    });
    expect(bad.status).toBe(422);
    expect(await db.evidence.list(orgId)).toEqual([]);

    const ok = await post(`/v1/orgs/${orgId}/evidence`, {
      filename: 'decisions.jsonl',
      kind: 'decision-log',
      content: readFileSync(join(AGENTS, 'evidence/decisions.jsonl'), 'utf8'),
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'decision-log', filename: 'decisions.jsonl' });
    expect(ok.body).not.toHaveProperty('content');
    const after = await waitFor('the roll-up after the upload', async () => {
      const r = await db.rollups.get(orgId);
      return r && r.computedAt > before.computedAt ? r : null;
    });
    const level = (r: Rollup, p: string) =>
      r.agents.pillars.find((x) => x.pillar === p)?.level ?? -1;
    const moved = beforeResult.agents.pillars.filter(
      (p) => level(after.result as Rollup, p.pillar) > level(beforeResult, p.pillar),
    );
    // Decision records with policy ids and versions: authorization provenance 2 -> 3.
    expect(moved.map((p) => p.pillar)).toEqual(['authorization-provenance']);
    const audit = await db.audit.list(orgId);
    expect(audit.map((e) => e.action)).toContain('evidence.upload');
    const list = await request(app.getHttpServer())
      .get(`/v1/orgs/${orgId}/evidence`)
      .set('Cookie', cookie);
    expect(list.body.items).toHaveLength(1);
  });

  it('one analysis with evidence: the cluster page, findings and export agree with the agents screen; DELETE (admin, audited) takes the evidence out of all of them', async () => {
    const get = (path: string) =>
      request(app.getHttpServer()).get(`/v1/orgs/${orgId}${path}`).set('Cookie', cookie);
    const [stamp] = await db.rollups.latestScanStamps(orgId);
    const clusterId = stamp!.clusterId;
    const pillar = 'authorization-provenance';
    /** The pillar's level as each view shows it: agents screen, export, cluster findings. */
    const levels = async () => {
      const agents = await get('/agents');
      const detail = await get(`/clusters/${clusterId}`);
      const scanId = detail.body.scan.id as string;
      const exported = await get(`/scans/${scanId}/export?format=json`);
      const finding = (detail.body.findings as { pillar: string; currentLevel: number }[]).find(
        (f) => f.pillar === pillar,
      );
      return {
        agents: (agents.body.pillars as { pillar: string; level: number }[]).find(
          (p) => p.pillar === pillar,
        )?.level,
        stored: (
          JSON.parse(exported.text).steps.agents.pillars as { pillar: string; level: number }[]
        ).find((p) => p.pillar === pillar)?.level,
        finding: finding?.currentLevel ?? null,
      };
    };
    // After the decision-log upload (previous test) every view says 3.
    const withEvidence = await levels();
    expect(withEvidence).toEqual({ agents: 3, stored: 3, finding: withEvidence.finding });
    if (withEvidence.finding !== null) expect(withEvidence.finding).toBe(3);

    const [upload] = await db.evidence.list(orgId);
    const del = (id: string) =>
      request(app.getHttpServer())
        .delete(`/v1/orgs/${orgId}/evidence/${id}`)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf);
    const before = (await db.rollups.get(orgId))!.computedAt;
    expect((await del(upload!.id)).status).toBe(204);
    expect(await db.evidence.list(orgId)).toEqual([]);
    const audit = await db.audit.list(orgId);
    expect(audit.find((e) => e.action === 'evidence.delete')).toMatchObject({
      targetId: upload!.id,
      metadata: { kind: 'decision-log', filename: 'decisions.jsonl' },
    });
    await waitFor('the roll-up after the deletion', async () => {
      const r = await db.rollups.get(orgId);
      return r && r.computedAt > before ? r : null;
    });
    const without = await levels();
    expect(without.agents).toBe(2);
    expect(without.stored).toBe(2);
    expect((await del(upload!.id)).status).toBe(404);
    expect((await del('not-a-uuid')).status).toBe(404);
  });

  it('a VM inventory is accepted with its line errors, and refused when no row is valid', async () => {
    const csv =
      'vm,ip,vlan,firewall_rules,dns_records,dhcp_reservation,lb_backends,hardcoded_config_refs,compliance_docs,owning_teams\nbilling-db,10.1.1.1,10,FW-1,,no,,,,payments\nbad,999.0.0.1,10,,,,,,,\n';
    const ok = await post(`/v1/orgs/${orgId}/evidence`, {
      filename: 'vms.csv',
      kind: 'vm-inventory',
      content: csv,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.summary).toEqual({
      vms: 1,
      errors: [{ line: 3, message: '"999.0.0.1" is not an IPv4 address' }],
    });
    const none = await post(`/v1/orgs/${orgId}/evidence`, {
      filename: 'empty.csv',
      kind: 'vm-inventory',
      content: 'vm,ip\n,1.2.3.4\n',
    });
    expect(none.status).toBe(422);
    expect(none.body.error.details).toEqual(['line 2: vm name is empty']);
  });
});
