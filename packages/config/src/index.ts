export {
  cidrListSchema,
  ConfigError,
  encryptionKeysSchema,
  ENV_VARS,
  loadEnv,
  redactUrl,
} from './env.js';
export type {
  ApiEnv,
  EncryptionKey,
  AppName,
  EnvVarName,
  MigrateEnv,
  SeedEnv,
  WorkerEnv,
} from './env.js';
