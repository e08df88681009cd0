/**
 * Detection scored against the README's ground truth (truth-table.json), on the real fixture
 * files: every labelled present/absent row and network fact must be right (100%). Prints
 * precision and recall, and which rules only hand-written fixtures cover.
 */
import type { DetectionResult } from '@plumbline/contracts';
import { collectOffline } from '@plumbline/collector';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detect } from '../src/detect.js';
import { RULES } from '../src/rules/index.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');
const GROUPS = resolve(__dirname, '../../collector/test/fixture-groups.json');

interface Row {
  id: string;
  source: 'readme' | 'file';
  status?: string;
  attributes?: Record<string, string | number | boolean>;
}
interface Truth {
  present?: Row[];
  absent?: Row[];
  referenced?: Row[];
  network?: Record<string, unknown>;
  networkSource?: Record<string, string>;
  /** Overlap capabilities that must / must not be reported. */
  overlaps?: string[];
  noOverlaps?: string[];
}

const truth = JSON.parse(readFileSync(join(__dirname, 'truth-table.json'), 'utf8')) as {
  groups: Record<string, Truth>;
  localGroups: Record<string, Truth>;
};
const LOCAL = join(__dirname, 'fixtures');
const groups = new Map(
  (
    JSON.parse(readFileSync(GROUPS, 'utf8')) as { groups: { id: string; paths: string[] }[] }
  ).groups.map((g) => [g.id, g.paths]),
);

const results = new Map<string, DetectionResult>();
function detected(group: string): DetectionResult {
  let r = results.get(group);
  if (!r) {
    const local = group in truth.localGroups;
    const { snapshot } = collectOffline({
      dir: local ? join(LOCAL, group) : FIXTURES,
      paths: local ? undefined : groups.get(group)!,
      scanner: { name: 'plumbline-scanner', version: 'test' },
      collectedAt: '2026-11-26T00:00:00.000Z',
      clusterName: group.replace(/\W+/g, '-'),
      includeSecretMetadata: false,
      fingerprintKey: new Uint8Array(32),
    });
    r = detect(snapshot);
    results.set(group, r);
  }
  return r;
}

type Outcome = { group: string; row: string; source: string; ok: boolean; detail: string };
const outcomes: Outcome[] = [];

function check(group: string, t: Truth): Outcome[] {
  const r = detected(group);
  const out: Outcome[] = [];
  const find = (id: string) => r.components.find((c) => c.id === id);
  for (const p of t.present ?? []) {
    const c = find(p.id);
    let ok = !!c && (p.status === 'remnant' || c.status !== 'remnant');
    let detail = c ? `${c.status}` : 'not detected';
    if (ok && p.status && c!.status !== p.status)
      [ok, detail] = [false, `status ${c!.status}, want ${p.status}`];
    for (const [k, v] of Object.entries(p.attributes ?? {})) {
      if (ok && c!.attributes[k] !== v)
        [ok, detail] = [false, `${k}=${String(c!.attributes[k])}, want ${String(v)}`];
    }
    out.push({ group, row: `present ${p.id}`, source: p.source, ok, detail });
  }
  for (const a of t.absent ?? []) {
    const c = find(a.id);
    const ok = !c || c.status === 'remnant';
    out.push({
      group,
      row: `absent ${a.id}`,
      source: a.source,
      ok,
      detail: c ? `detected ${c.status}` : 'not detected',
    });
  }
  for (const ref of t.referenced ?? []) {
    const c = find(ref.id);
    out.push({
      group,
      row: `referenced ${ref.id}`,
      source: 'referenced',
      ok: !c || c.status !== 'installed',
      detail: c ? c.status : 'not detected',
    });
  }
  const caps = new Set(r.overlaps.map((o) => o.capability));
  for (const c of t.overlaps ?? [])
    out.push({
      group,
      row: `overlap ${c}`,
      source: 'file',
      ok: caps.has(c),
      detail: [...caps].join(','),
    });
  for (const c of t.noOverlaps ?? [])
    out.push({
      group,
      row: `no overlap ${c}`,
      source: 'file',
      ok: !caps.has(c),
      detail: [...caps].join(','),
    });
  const n = t.network ?? {};
  const facts: Record<string, unknown> = {
    cni: r.network.cni,
    dataplane: r.network.dataplane,
    encapsulation: r.network.encapsulation,
    kubeProxyMode: r.network.kubeProxyMode,
    policyEnforced: r.network.networkPolicy.enforced,
    policyEngines: [...r.network.networkPolicy.engines].sort(),
    encryption: [...r.network.encryption.methods].sort(),
  };
  for (const [k, want] of Object.entries(n)) {
    const got = facts[k];
    const norm = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...v].sort() : v);
    out.push({
      group,
      row: `network ${k}=${JSON.stringify(want)}`,
      source: t.networkSource?.[k] ?? 'readme',
      ok: norm(got) === norm(want),
      detail: `got ${JSON.stringify(got)}`,
    });
  }
  return out;
}

describe('detection against the fixtures README truth table', () => {
  const labelled = Object.entries(truth.groups).filter(
    ([, t]) =>
      (t.present?.length ?? 0) +
        (t.absent?.length ?? 0) +
        Object.keys(t.network ?? {}).length +
        (t.referenced?.length ?? 0) >
      0,
  );

  it('labels only known fixture groups', () => {
    for (const [g] of Object.entries(truth.groups)) expect(groups.has(g)).toBe(true);
    expect(labelled.length).toBeGreaterThan(40);
  });

  it.each(Object.entries(truth.localGroups))('local: %s', (group, t) => {
    const o = check(group, t);
    outcomes.push(...o);
    const wrong = o.filter((x) => !x.ok).map((x) => `${x.row} (${x.source}): ${x.detail}`);
    expect(wrong).toEqual([]);
    expect(o.length).toBeGreaterThan(0);
  });

  it.each(labelled)('%s', (group, t) => {
    const o = check(group, t);
    outcomes.push(...o);
    const wrong = o.filter((x) => !x.ok).map((x) => `${x.row} (${x.source}): ${x.detail}`);
    expect(wrong).toEqual([]);
  });

  afterAll(() => {
    const rows = outcomes.filter((o) => o.row.startsWith('present') || o.row.startsWith('absent'));
    const tp = rows.filter((o) => o.row.startsWith('present') && o.ok).length;
    const fn = rows.filter((o) => o.row.startsWith('present') && !o.ok).length;
    const fp = rows.filter((o) => o.row.startsWith('absent') && !o.ok).length;
    const tn = rows.filter((o) => o.row.startsWith('absent') && o.ok).length;
    const facts = outcomes.filter((o) => o.row.startsWith('network'));
    const overl = outcomes.filter((o) => /overlap /.test(o.row));
    const covered = new Set(
      [...Object.values(truth.groups), ...Object.values(truth.localGroups)].flatMap((t) =>
        (t.present ?? []).map((p) => p.id),
      ),
    );
    const handOnly = RULES.map((r) => r.id).filter((id) => !covered.has(id));
    const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
    // eslint-disable-next-line no-console
    console.log(
      [
        `detection vs README truth table: ${rows.length} present/absent rows, ${facts.length} network facts`,
        `  precision ${pct(tp, tp + fp)}  recall ${pct(tp, tp + fn)}  (TP ${tp}, FP ${fp}, FN ${fn}, TN ${tn})`,
        `  network facts right: ${facts.filter((f) => f.ok).length}/${facts.length}`,
        `  overlap rows right: ${overl.filter((f) => f.ok).length}/${overl.length}`,
        `  rows from the README: ${outcomes.filter((o) => o.source === 'readme').length}, from files: ${outcomes.filter((o) => o.source === 'file').length}`,
        `  rules covered only by hand-written fixtures (${handOnly.length}): ${handOnly.join(', ')}`,
      ].join('\n'),
    );
  });
});
