import { keptEnvValue } from './reduce.js';

/** Env values are dropped by default; each row is [name, value, kept value or null]. */
const ROWS: [string, string, string | null][] = [
  // toggles and tracing flags: a boolean word only
  ['LANGSMITH_TRACING', 'false', 'false'],
  ['LANGCHAIN_TRACING_V2', 'true', 'true'],
  ['OTEL_SDK_DISABLED', 'true', 'true'],
  ['FEATURE_X_ENABLED', 'off', 'off'],
  ['FEATURE_X_ENABLED', 'hunter2', null],
  ['ENABLE_SHELL', 'yes please', null],
  // endpoints: URL without credentials
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel:4317', 'http://otel:4317'],
  ['LLM_BASE_URL', 'https://u:p4ss@llm.example.com/v1', 'https://[REDACTED]@llm.example.com/v1'],
  ['OPENAI_API_BASE', 'http://litellm.gw:4000', 'http://litellm.gw:4000'],
  // model names and networking settings: one short plain token
  ['OPENAI_MODEL', 'gpt-4.1-mini', 'gpt-4.1-mini'],
  ['MODEL_NAME', 'llama3:8b', 'llama3:8b'],
  ['CALICO_IPV4POOL_CIDR', '10.244.0.0/16', '10.244.0.0/16'],
  ['IP_AUTODETECTION_METHOD', 'interface=eth.*', 'interface=eth.*'],
  ['FELIX_LOGSEVERITYSCREEN', 'has spaces in it', null],
  // sensitive names: never, whatever the value looks like (low entropy included)
  ['GATEWAY_PWD', 'hunter2gw', null],
  ['GATEWAY_PASSWORD', 'x', null],
  ['CALICO_DATASTORE_PASSWORD', 'felixpw77', null],
  ['OTEL_EXPORTER_OTLP_HEADERS', 'x=y', null],
  ['FELIX_TOKEN_ENABLED', 'true', null],
  ['GATEWAY_API_KEY_ENDPOINT', 'http://k', null],
  // not on any allowlist: dropped
  ['DATABASE_URL', 'postgres://db:5432/app', null],
  ['APP_CONFIG', 'prod', null],
  ['PGPASS', 'x', null],
];

describe('keptEnvValue: dropped by default, kept only for allowlisted non-secret settings', () => {
  it.each(ROWS)('%s=%s -> %s', (name, value, kept) => {
    expect(keptEnvValue(name, value, false)).toBe(kept);
  });
  it('a value that looks like a credential is dropped even under an allowlisted name', () => {
    expect(keptEnvValue('OPENAI_MODEL', 'sk-proj-FAKEfakeFAKEfake1234567890abcd', true)).toBeNull();
  });
});
