export { checkSnapshot } from './check.js';
export { connect, ConnectError, findKubeSource, SERVICE_ACCOUNT_DIR } from './connect.js';
export type { EndpointSource, KubeSource, KubeTarget, SourceRequest } from './connect.js';
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
export { apiGroup, isClusterScoped } from './k8s.js';
export { ACCEPT_METADATA_LIST, KubeApiAbortedError, KubeApiError } from './kube-api.js';
export type { RequestLimits } from './kube-api.js';
export {
  collectLive,
  DEFAULT_BURST,
  DEFAULT_PAGE_SIZE,
  DEFAULT_QPS,
  SECRET_OTHER_TYPE,
  SECRET_TYPES,
} from './live.js';
export type { LiveOptions, LiveStats } from './live.js';
export {
  ALIAS_EXPANSION_FACTOR,
  collectOffline,
  DEFAULT_MAX_FILE_BYTES,
  expandPaths,
  listManifestFiles,
  readManifests,
  summarizeSkipped,
} from './offline.js';
export type { FileStats, OfflineOptions, SkipReason, SkippedFile } from './offline.js';
export { guessProvider } from './provider.js';
export { backoffDelay, DEFAULT_RETRY, TokenBucket } from './rate-limit.js';
export type { RetryPolicy, Sleep } from './rate-limit.js';
export { isCollected, SECRET_SKIPPED, SnapshotReducer } from './reduce.js';
export type { ReducerOptions, SnapshotMeta } from './reduce.js';
export { serializeSnapshot } from './serialize.js';
export {
  encodeSnapshot,
  snapshotChunks,
  writeSnapshotFile,
  writeSnapshotText,
} from './serialize-stream.js';
export type { EncodedSnapshot } from './serialize-stream.js';
export { idempotencyKey, UploadError, uploadSnapshot } from './upload.js';
export type { PreparedUpload, UploadOptions, UploadResult } from './upload.js';
