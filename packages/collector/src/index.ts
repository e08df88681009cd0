export {
  containsCredential,
  fingerprint,
  looksLikeCredential,
  REDACTED,
  scrubArgs,
  scrubJson,
  scrubText,
  stripUrlCredentials,
} from './credentials.js';
export { describeSnapshotFields, dryRunReport } from './dry-run.js';
export type { DryRunSection } from './dry-run.js';
export { collectOffline, expandPaths, listManifestFiles, readManifests } from './offline.js';
export type { FileStats, OfflineOptions } from './offline.js';
export { guessProvider } from './provider.js';
export { SnapshotReducer } from './reduce.js';
export type { ReducerOptions, SnapshotMeta } from './reduce.js';
export { serializeSnapshot } from './serialize.js';
