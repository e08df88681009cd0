/**
 * The signals agent discovery reads, as data. Names only: discovery never sees a secret value
 * (the snapshot holds none) and never copies one from an evidence upload.
 */

/** LLM provider credentials by env var name (the variable makes a workload a model client). */
export const PROVIDER_KEY_ENV: readonly { name: RegExp; provider: string }[] = [
  { name: /^AZURE_OPENAI_(API_KEY|AD_TOKEN)$/, provider: 'azure-openai' },
  { name: /^OPENAI_API_KEY$/, provider: 'openai' },
  { name: /^ANTHROPIC_API_KEY$/, provider: 'anthropic' },
  { name: /^(GEMINI_API_KEY|GOOGLE_API_KEY|GOOGLE_GENAI_API_KEY)$/, provider: 'google' },
  { name: /^MISTRAL_API_KEY$/, provider: 'mistral' },
  { name: /^GROQ_API_KEY$/, provider: 'groq' },
  { name: /^(COHERE_API_KEY|CO_API_KEY)$/, provider: 'cohere' },
  { name: /^DEEPSEEK_API_KEY$/, provider: 'deepseek' },
  { name: /^XAI_API_KEY$/, provider: 'xai' },
  { name: /^OPENROUTER_API_KEY$/, provider: 'openrouter' },
  { name: /^TOGETHER_API_KEY$/, provider: 'together' },
  { name: /^FIREWORKS_API_KEY$/, provider: 'fireworks' },
  { name: /^PERPLEXITY_API_KEY$/, provider: 'perplexity' },
];

/** Env var names whose (allowlisted) value is the model endpoint an agent calls. */
export const MODEL_ENDPOINT_ENV =
  /^(OPENAI_(BASE_URL|API_BASE)|AZURE_OPENAI_ENDPOINT|ANTHROPIC_BASE_URL|OLLAMA_(BASE_URL|HOST)|LLM_(BASE_URL|ENDPOINT)|MODEL_(BASE_URL|ENDPOINT)|LITELLM_(BASE_URL|PROXY_URL)|GEMINI_BASE_URL|MISTRAL_BASE_URL|GROQ_BASE_URL|VLLM_(BASE_URL|ENDPOINT)|INFERENCE_(BASE_URL|ENDPOINT))$/;

/** Agent-framework env var prefixes: their presence marks an agent (and hints the framework). */
export const FRAMEWORK_ENV: readonly { name: RegExp; framework: string | null }[] = [
  { name: /^(LANGCHAIN|LANGSMITH)_/, framework: 'langchain' },
  { name: /^LANGGRAPH_/, framework: 'langgraph' },
  { name: /^LANGFUSE_/, framework: null },
  { name: /^CREWAI_/, framework: 'crewai' },
  { name: /^(AUTOGEN|AG2)_/, framework: 'autogen' },
  { name: /^OPENAI_AGENTS_/, framework: 'openai-agents' },
  { name: /^SEMANTIC_KERNEL_/, framework: 'semantic-kernel' },
  { name: /^LLAMA_?INDEX_/, framework: 'llama-index' },
  { name: /^HAYSTACK_/, framework: 'haystack' },
  { name: /^(PYDANTIC_AI|LOGFIRE)_/, framework: 'pydantic-ai' },
  { name: /^(GOOGLE_ADK|ADK)_/, framework: 'google-adk' },
];

/** Frameworks by image, command or args (first match wins: langgraph before langchain). */
export const FRAMEWORK_TEXT: readonly { pattern: RegExp; framework: string }[] = [
  { pattern: /langgraph/i, framework: 'langgraph' },
  { pattern: /langchain/i, framework: 'langchain' },
  { pattern: /crew[-_]?ai/i, framework: 'crewai' },
  { pattern: /autogen|\bag2\b/i, framework: 'autogen' },
  { pattern: /openai[-_]agents|agents[-_]sdk/i, framework: 'openai-agents' },
  { pattern: /semantic[-_]kernel/i, framework: 'semantic-kernel' },
  { pattern: /llama[-_]?index/i, framework: 'llama-index' },
  { pattern: /haystack/i, framework: 'haystack' },
  { pattern: /pydantic[-_]ai/i, framework: 'pydantic-ai' },
  { pattern: /google[-_]adk|\badk\b/i, framework: 'google-adk' },
  { pattern: /smolagents/i, framework: 'smolagents' },
  { pattern: /strands[-_]agents/i, framework: 'strands-agents' },
  { pattern: /kagent-dev\/kagent\/app/i, framework: 'kagent' },
];

/** Model servers by image (the engine is the framework field). */
export const MODEL_SERVER_IMAGES: readonly { pattern: RegExp; engine: string }[] = [
  { pattern: /vllm\/vllm-openai|(^|\/)vllm:/i, engine: 'vllm' },
  { pattern: /(^|[/"])ollama\/ollama([:@"]|$)/i, engine: 'ollama' },
  { pattern: /lmsysorg\/sglang/i, engine: 'sglang' },
  { pattern: /llama\.cpp|llamacpp|llama-cpp/i, engine: 'llama-cpp' },
  { pattern: /text-generation-inference/i, engine: 'tgi' },
  { pattern: /tritonserver/i, engine: 'triton' },
  { pattern: /localai\/localai|(^|\/)local-ai:/i, engine: 'localai' },
  { pattern: /nvcr\.io\/nim\//i, engine: 'nvidia-nim' },
  { pattern: /openmmlab\/lmdeploy/i, engine: 'lmdeploy' },
];
/** Ollama's well-known port. */
export const OLLAMA_PORT = 11434;

/** LLM and MCP gateways (enforcement points an agent can route through). */
export const GATEWAY_IMAGES: readonly { pattern: RegExp; product: string }[] = [
  { pattern: /berriai\/litellm|(^|\/)litellm[:@-]/i, product: 'litellm' },
  { pattern: /agentgateway/i, product: 'agentgateway' },
  { pattern: /envoyproxy\/ai-gateway/i, product: 'envoy-ai-gateway' },
  { pattern: /portkeyai\/gateway/i, product: 'portkey' },
  { pattern: /docker\/mcp-gateway|(^|\/)mcp-gateway[:@]/i, product: 'mcp-gateway' },
  { pattern: /mcp-context-forge|contextforge/i, product: 'contextforge' },
];
/** Host names that say "gateway" when an agent's base URL points outside the snapshot. */
export const GATEWAY_HOST = /litellm|agentgateway|ai-gateway|llm-gateway|mcp-gateway|portkey/i;

/** MCP servers by image, workload name or args. */
export const MCP_IMAGE = /(^|\/)mcp\/[a-z0-9]|mcp[-_]server|-mcp([:@]|$)/i;
export const MCP_NAME = /(^|-)mcp(-|$)/i;
export const MCP_ARGS =
  /^--mcp\b|@modelcontextprotocol\/server-|(^|[/@])mcp-server-|-mcp-server\b/i;

/** Public model-provider API hosts: a base URL here means no gateway in the path. */
export const PROVIDER_HOSTS =
  /(^|\.)(api\.openai\.com|openai\.azure\.com|api\.anthropic\.com|generativelanguage\.googleapis\.com|aiplatform\.googleapis\.com|api\.mistral\.ai|api\.groq\.com|api\.cohere\.(ai|com)|api\.deepseek\.com|api\.x\.ai|openrouter\.ai|api\.together\.xyz|api\.fireworks\.ai|api\.perplexity\.ai)$/i;

/** Default endpoint of each provider when no base URL is set. */
export const PROVIDER_DEFAULT_HOST: Record<string, string> = {
  openai: 'api.openai.com',
  'azure-openai': '<resource>.openai.azure.com',
  anthropic: 'api.anthropic.com',
  google: 'generativelanguage.googleapis.com',
  mistral: 'api.mistral.ai',
  groq: 'api.groq.com',
  cohere: 'api.cohere.com',
  deepseek: 'api.deepseek.com',
  xai: 'api.x.ai',
  openrouter: 'openrouter.ai',
  together: 'api.together.xyz',
  fireworks: 'api.fireworks.ai',
  perplexity: 'api.perplexity.ai',
};

/**
 * Tracing configured by env, per tracer family. What counts: an exporter endpoint (any value,
 * even one not visible), an exporter name other than `none`, or a tracing toggle whose value is
 * visible and switches it on. What does not: a toggle set to false/0/off or whose value is not
 * visible, and any signal of a family that TRACING_OFF switches off in the same container.
 */
export const TRACING_ENV: readonly {
  family: string;
  name: RegExp;
  /** endpoint: counts when set; exporter: counts unless `none`; toggle: only a visible true. */
  type: 'endpoint' | 'exporter' | 'toggle';
  label: string;
}[] = [
  {
    family: 'otel',
    name: /^OTEL_EXPORTER_OTLP(_TRACES)?_ENDPOINT$/,
    type: 'endpoint',
    label: 'OpenTelemetry OTLP exporter',
  },
  {
    family: 'otel',
    name: /^OTEL_TRACES_EXPORTER$/,
    type: 'exporter',
    label: 'OpenTelemetry traces exporter',
  },
  {
    family: 'langsmith',
    name: /^(LANGCHAIN_TRACING_V2|LANGCHAIN_TRACING|LANGSMITH_TRACING|LANGSMITH_TRACING_V2)$/,
    type: 'toggle',
    label: 'LangSmith tracing',
  },
  {
    family: 'langfuse',
    name: /^LANGFUSE_(HOST|BASE_URL|PUBLIC_KEY)$/,
    type: 'endpoint',
    label: 'Langfuse tracing',
  },
  {
    family: 'traceloop',
    name: /^TRACELOOP_(BASE_URL|API_KEY)$/,
    type: 'endpoint',
    label: 'OpenLLMetry (Traceloop) tracing',
  },
  {
    family: 'phoenix',
    name: /^PHOENIX_COLLECTOR_ENDPOINT$/,
    type: 'endpoint',
    label: 'Arize Phoenix tracing',
  },
];
/**
 * Flags that switch a tracer family off when their (visible) value matches `off`
 * (`OTEL_SDK_DISABLED=true`, `OTEL_TRACES_EXPORTER=none`, `LANGFUSE_TRACING_ENABLED=false`).
 */
export const TRACING_OFF: readonly { family: string; name: RegExp; off: RegExp }[] = [
  { family: 'otel', name: /^OTEL_SDK_DISABLED$/, off: /^(true|1|yes|on)$/i },
  { family: 'otel', name: /^OTEL_TRACES_EXPORTER$/, off: /^none$/i },
  {
    family: 'langsmith',
    name: /^(LANGCHAIN|LANGSMITH)_TRACING(_V2)?$/,
    off: /^(false|no|off|0|none|disabled?)$/i,
  },
  {
    family: 'langfuse',
    name: /^LANGFUSE_(TRACING_)?ENABLED$/,
    off: /^(false|no|off|0|none|disabled?)$/i,
  },
  {
    family: 'traceloop',
    name: /^TRACELOOP_(TRACING_)?ENABLED$/,
    off: /^(false|no|off|0|none|disabled?)$/i,
  },
  {
    family: 'phoenix',
    name: /^PHOENIX_(TRACING_)?ENABLED$/,
    off: /^(false|no|off|0|none|disabled?)$/i,
  },
];
/** Values that switch a toggle on. */
export const ENABLED_VALUE = /^(true|1|yes|on|enabled?)$/i;

/** Label and annotation keys naming an accountable owner. */
export const OWNER_KEY =
  /^(?:[^/]+\/)?(owner|team|owned-by|owner-team|contact|oncall|maintainer|accountable)$/i;

/**
 * Registration: the accepted signals, each documented in docs/methodology/accountability.md
 * ("What counts as registered"). 1. this key as an annotation or label on the workload object or
 * its pod template, with a value that does not switch it off; 2. an agent platform CR (kagent
 * Agent/SandboxAgent, agent-sandbox Sandbox, K8sGPT) or a kagent RemoteMCPServer pointing at it;
 * 3. an agent registry entry (REGISTRY_CR); 4. an uploaded A2A agent card naming it.
 */
export const REGISTRATION_KEY =
  /^(plumbline\.io\/(agent|agent-id|registered|registry-id)|agents?\.[^/]+\/(id|agent-id|registry|registry-id|registered|name)|kagent\.dev\/[a-z-]+)$/i;
/** Agent registry entries: `plumbline.io/v1alpha1` `AgentRegistration` (spec.workloadRef or spec.selector). */
export const REGISTRY_CR = { group: /^plumbline\.io$/, kind: /^AgentRegistration$/ };
/** A label or annotation value that switches its control off: the absence of the signal. */
export const DISABLED_VALUE = /^(false|no|off|0|none|disabled?|unregistered|null)$/i;
/** Explicit classification: `plumbline.io/kind: agent|mcp-server|model-server|gateway`. */
export const KIND_KEY = 'plumbline.io/kind';
/** Declared design pattern on an agent: `plumbline.io/design-pattern`. */
export const DESIGN_PATTERN_KEY = 'plumbline.io/design-pattern';

/** Sandboxing runtimes (RuntimeClass names). */
export const SANDBOX_RUNTIME: readonly { pattern: RegExp; via: string }[] = [
  { pattern: /gvisor|runsc/i, via: 'gVisor' },
  { pattern: /kata/i, via: 'Kata Containers' },
  { pattern: /firecracker|fc$/i, via: 'Firecracker' },
];

/** Tools, images and settings that mean an agent executes code. */
export const CODE_EXEC =
  /code[-_]?interpreter|python[-_]?repl|jupyter|\be2b\b|execute[-_]?(code|shell|python|command|bash)|run[-_]?(code|shell|command|python)|\bshell\b|\bbash\b|terminal|open[-_]?interpreter|server-commands|desktop-commander/i;
export const CODE_EXEC_ENV = /^(E2B_API_KEY|CODE_EXECUTION(_[A-Z]+)?|ALLOW_CODE_EXECUTION)$/;

/** Tools whose effects are destructive or high-stakes (approval gates are expected). */
export const DESTRUCTIVE_TOOL =
  /delete|remove|destroy|drop|purge|wipe|terminate|kill|transfer|payment|pay_|refund|withdraw|update_user_role|grant|revoke|exec|shell|deploy|scale|restart|rollback|send_(email|message)|create_user|write_file|patch|apply/i;

/** Env var names that say "credential" (a literal value there is a static credential). */
export const CREDENTIAL_NAME =
  /(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|ACCESS_KEY|PRIVATE_KEY|AUTH)/i;
/** ...unless the name says it is a setting about the credential, not the credential. */
export const NOT_CREDENTIAL_NAME =
  /_(ENABLED|DISABLED|ENABLE|MODE|URL|ENDPOINT|HOST|PORT|TYPE|FILE|PATH|DIR|HEADER_NAME|EXPIRY|TTL|TIMEOUT)$/i;
/** In-cluster or internal host names that point at a model server. */
export const MODEL_HOST =
  /ollama|vllm|local-?ai|llama|sglang|\btgi\b|text-generation|triton|model-server|inference/i;

/** HTTP headers that carry credentials in MCP client configurations. */
export const AUTH_HEADER =
  /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|.*token.*|.*api[-_]?key.*)$/i;

/** RBAC: verbs that change things, and resources whose change is high-stakes. */
export const WRITE_VERBS = [
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  '*',
] as const;
export const HIGH_STAKES_RESOURCES = [
  'pods',
  'pods/exec',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'secrets',
  'configmaps',
  'services',
  'namespaces',
  'nodes',
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
  'networkpolicies',
  'serviceaccounts',
  '*',
] as const;
/** Built-in ClusterRoles that are not in manifests but are bound by name. */
export const BUILTIN_ROLES: Record<string, 'cluster-admin' | 'admin' | 'edit' | 'view'> = {
  'cluster-admin': 'cluster-admin',
  admin: 'admin',
  edit: 'edit',
  view: 'view',
};

/** A representative public address: egress there on TCP 443 stands for "the internet". */
export const PUBLIC_PROBE_ADDRESS = '1.1.1.1';
export const PUBLIC_PROBE_PORT = 443;
