export {
  cidrListSchema,
  ConfigError,
  encryptionKeysSchema,
  ENV_VARS,
  loadEnv,
  mailFromSchema,
  redactUrl,
  smtpUrlSchema,
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
