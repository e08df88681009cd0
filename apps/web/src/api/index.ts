export { ApiClient } from './client';
export type { EvidenceUploadKind, EvidenceUploadRequest, SelfAssessmentRecord } from './client';
export { ApiError, describeError, errorFromResponse, type FetchLike } from './http';
export { atLeast, ROLE_HELP, ROLE_LABELS, ROLE_ORDER, type Role } from './roles';
