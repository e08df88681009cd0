export { BUILTIN_GROUPS } from './builtins.js';
export { createCertificate } from './certs.js';
export type { TlsMaterial } from './certs.js';
export { loadManifests, manifestFiles } from './load.js';
export { DEFAULT_TOKEN, startKubeSim } from './server.js';
export type { Fault, KubeSim, KubeSimOptions, RequestLogEntry } from './server.js';
export { compareVersions, pluralize } from './state.js';
export type { Duplicate, Refusal, ServedResource } from './state.js';
