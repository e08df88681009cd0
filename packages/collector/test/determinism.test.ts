/**
 * Same input, same bytes: shuffling the file order, and running under another time zone and
 * locale, must not change the snapshot.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectOffline } from '../src/offline.js';
import { serializeSnapshot } from '../src/serialize.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');
const KEY = new Uint8Array(32).fill(7);
const PATHS = [
  'calico/manifests/calico.yaml',
  'kube-prometheus/manifests',
  'istio/samples/addons',
  'kagent',
];

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function scan(reorder?: (f: string[]) => string[]): Buffer {
  const { snapshot } = collectOffline({
    dir: FIXTURES,
    paths: PATHS,
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    clusterName: 'determinism',
    includeSecretMetadata: true,
    fingerprintKey: KEY,
    reorder,
  });
  return serializeSnapshot(snapshot);
}

describe('determinism', () => {
  it('shuffled file order gives byte-identical snapshots', () => {
    const base = scan();
    expect(base.length).toBeGreaterThan(10_000);
    for (const seed of [1, 2, 3, 42]) {
      const other = scan((files) => {
        const s = shuffled(files, seed);
        expect(s).not.toEqual(files);
        return s;
      });
      expect(other.equals(base)).toBe(true);
    }
  });

  it('another time zone and locale give byte-identical snapshots', () => {
    const out = mkdtempSync(join(tmpdir(), 'plumbline-det-'));
    const tsx = resolve(__dirname, '../../../node_modules/.bin/tsx');
    const run = (env: Record<string, string>, file: string) => {
      const r = spawnSync(
        tsx,
        [join(__dirname, 'scan-fixed.ts'), FIXTURES, PATHS.join(','), join(out, file)],
        {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return readFileSync(join(out, file));
    };
    const a = run({ TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }, 'a.json');
    const b = run({ TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }, 'b.json');
    const c = run({ TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }, 'c.json');
    expect(a.length).toBeGreaterThan(10_000);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect(a.equals(scan())).toBe(true);
  });
});
