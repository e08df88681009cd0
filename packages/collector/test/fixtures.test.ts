/**
 * Every fixture file group (one cluster each; alternatives never merged) scans without error,
 * validates against the contract, and its per-kind counts equal the counts committed in
 * fixture-counts.json, which an independent counter (count-fixture-docs.py, PyYAML) produced.
 */
import { parseClusterSnapshot } from '@plumbline/contracts';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectOffline } from '../src/offline.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

interface Group {
  id: string;
  paths: string[];
}
interface Counts {
  objects: number;
  byKind: Record<string, number>;
  templatesSkipped: number;
  unparseableDocs: number;
  notKubernetes: number;
  files: number;
}

const groups = (
  JSON.parse(readFileSync(join(__dirname, 'fixture-groups.json'), 'utf8')) as { groups: Group[] }
).groups;
const expected = (
  JSON.parse(readFileSync(join(__dirname, 'fixture-counts.json'), 'utf8')) as {
    groups: Record<string, Counts>;
  }
).groups;

describe('fixture file groups', () => {
  it('the shared fixtures are present (../shared/fixtures beside the repo)', () => {
    expect(existsSync(join(FIXTURES, 'README.md'))).toBe(true);
    expect(groups.length).toBeGreaterThan(40);
    expect(Object.keys(expected).sort()).toEqual(groups.map((g) => g.id).sort());
  });

  it.each(groups.map((g) => [g.id, g] as const))('%s', (_id, group) => {
    const { snapshot, stats } = collectOffline({
      dir: FIXTURES,
      paths: group.paths,
      scanner: { name: 'plumbline-scanner', version: 'test' },
      collectedAt: '2026-11-26T00:00:00.000Z',
      clusterName: group.id.replace(/\W+/g, '-'),
      includeSecretMetadata: false,
      fingerprintKey: new Uint8Array(32),
    });
    const valid = parseClusterSnapshot(snapshot);
    if (!valid.ok) throw new Error(JSON.stringify(valid.issues.slice(0, 5)));
    const want = expected[group.id]!;
    const byKind = Object.fromEntries(snapshot.collection.map((c) => [c.resource, c.count]));
    expect(byKind).toEqual(want.byKind);
    expect({
      files: stats.files,
      objects: stats.objects,
      templatesSkipped: stats.templatesSkipped,
      notKubernetes: stats.notKubernetes,
      unparseableDocs: stats.unparseableDocs,
    }).toEqual({
      files: want.files,
      objects: want.objects,
      templatesSkipped: want.templatesSkipped,
      notKubernetes: want.notKubernetes,
      unparseableDocs: want.unparseableDocs,
    });
  });
});
