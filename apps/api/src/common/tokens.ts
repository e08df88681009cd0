/** Dependency-injection tokens for the values created at boot. */
export const API_ENV = Symbol('API_ENV');
export const LOGGER = Symbol('LOGGER');
export const DATABASE = Symbol('DATABASE');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
/** ioredis client for health checks and heartbeats; null in in-process mode. */
export const REDIS = Symbol('REDIS');
/** ApiMetrics: the Prometheus registry of this app instance. */
export const METRICS = Symbol('METRICS');
/** AgentlessSettings (encryption keyring, egress policy, bounds) for agentless scans. */
export const AGENTLESS = Symbol('AGENTLESS');
/** ReportRenderer (warm Chromium) when jobs run in-process and REPORT_DIST_DIR is set; else null. */
export const REPORT_RENDERER = Symbol('REPORT_RENDERER');
/** TxtResolver for single sign-on domain verification (tests inject one). */
export const SSO_TXT_RESOLVER = Symbol('SSO_TXT_RESOLVER');
