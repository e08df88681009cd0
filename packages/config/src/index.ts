export { ConfigError, ENV_VARS, loadEnv, redactUrl } from './env.js';
export type { ApiEnv, AppName, EnvVarName, MigrateEnv, SeedEnv, WorkerEnv } from './env.js';
