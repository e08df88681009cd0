export * from './analysis.js';
export * from './errors.js';
export * from './health.js';
export * from './jobs.js';
export * from './cluster-snapshot.js';
