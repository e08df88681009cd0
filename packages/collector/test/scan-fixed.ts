// Runs one offline scan with a fixed key and time, in a separate process so that a test can vary
// TZ and the locale. Usage: scan-fixed.ts FIXTURES_DIR PATH[,PATH...] OUT_FILE
import { writeFileSync } from 'node:fs';
import { collectOffline } from '../src/offline.js';
import { serializeSnapshot } from '../src/serialize.js';

const [dir, paths, out] = process.argv.slice(2);
const { snapshot } = collectOffline({
  dir: dir!,
  paths: paths!.split(','),
  scanner: { name: 'plumbline-scanner', version: 'test' },
  collectedAt: '2026-11-26T00:00:00.000Z',
  clusterName: 'determinism',
  includeSecretMetadata: true,
  fingerprintKey: new Uint8Array(32).fill(7),
});
writeFileSync(out!, serializeSnapshot(snapshot));
