export * from './analysis.js';
export * from './errors.js';
export * from './health.js';
export * from './jobs.js';
export * from './cluster-snapshot.js';
export * from './detection.js';
export * from './ingest.js';
export * from './probe-report.js';
