/**
 * netassert's e2e cases (controlplaneio/netassert) against the real fixture manifests: every
 * case's exit code (0 connected / 1 blocked) must follow from the policies (see suites/netassert.json
 * for how a probe verdict is predicted). The run count may not drop below the committed number.
 */
import { collectOffline } from '@plumbline/collector';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NetpolEngine, type Endpoint } from '../src/index.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

interface Ref {
  kind?: string;
  namespace?: string;
  name?: string;
  host?: string;
}
interface Case {
  name: string;
  protocol: string;
  targetPort: number;
  exitCode: 0 | 1;
  src: Ref;
  dst: Ref;
}
const suite = JSON.parse(readFileSync(join(__dirname, 'suites/netassert.json'), 'utf8')) as {
  source: { cases: string; manifests: string[] };
  counts: { run: number; skipped: number };
  cases: Case[];
};

const { snapshot } = collectOffline({
  dir: FIXTURES,
  paths: suite.source.manifests,
  scanner: { name: 'plumbline-scanner', version: 'test' },
  collectedAt: '2026-11-26T00:00:00.000Z',
  clusterName: 'netassert',
  includeSecretMetadata: false,
  fingerprintKey: new Uint8Array(32),
});
const engine = NetpolEngine.fromSnapshot(snapshot);

function endpoint(r: Ref): Endpoint {
  const e = engine.find(`${r.namespace}/${r.name}[${r.kind}]`);
  if (!e) throw new Error(`no endpoint ${r.namespace}/${r.name}[${r.kind}]`);
  return e;
}

function predict(c: Case): { connects: boolean; why: string } {
  const protocol = c.protocol.toUpperCase();
  const src = endpoint(c.src);
  if (c.dst.host === '0.0.0.0') {
    const listens = src.ports.some((p) => p.port === c.targetPort && p.protocol === protocol);
    return { connects: listens, why: `loopback of the source; listens=${listens}` };
  }
  if (c.dst.host) {
    const r = engine.mayReach(
      `${src.namespace}/${src.name}`,
      '203.0.113.10',
      c.targetPort,
      protocol,
    );
    if ('error' in r) throw new Error(r.error);
    return { connects: r.allowed, why: `external host; egress ${r.egress.by}` };
  }
  const dst = endpoint(c.dst);
  const r = engine.mayReach(
    `${src.namespace}/${src.name}[${src.kind}]`,
    `${dst.namespace}/${dst.name}[${dst.kind}]`,
    c.targetPort,
    protocol,
  );
  if ('error' in r) throw new Error(r.error);
  const listens =
    protocol === 'UDP' || dst.ports.some((p) => p.port === c.targetPort && p.protocol === protocol);
  return {
    connects: r.allowed && listens,
    why: `egress ${r.egress.by}; ingress ${r.ingress.by}; listens=${listens}`,
  };
}

describe('netassert e2e cases', () => {
  it('lists every case of the upstream file', () => {
    const text = readFileSync(join(FIXTURES, suite.source.cases), 'utf8');
    const upstream = [...text.matchAll(/^- name: (\S+)/gm)].map((m) => m[1]);
    expect(suite.cases.map((c) => c.name)).toEqual(upstream);
  });

  it.each(suite.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const p = predict(c);
    expect({ name: c.name, connects: p.connects }).toEqual({
      name: c.name,
      connects: c.exitCode === 0,
    });
  });

  it('runs at least the committed number of cases', () => {
    expect(suite.cases.length).toBeGreaterThanOrEqual(suite.counts.run);
    expect(suite.counts.skipped).toBe(0);
  });
});
