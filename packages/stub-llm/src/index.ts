// Public entry point of @plumbline/stub-llm: the governance probe (stub model, canary MCP
// server, scenario catalogue, runner). The CLI is src/cli.ts (bin: plumbline-probe).
export {
  type CanaryCallRecord,
  type CanaryServer,
  type CanaryServerOptions,
  JSONRPC,
  MCP_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  startCanaryServer,
} from './canary.js';
export { type CanaryTool, DEFAULT_CANARY_TOOLS } from './canary-tools.js';
export { PROBE_EXIT, type ScenarioEvidence, classifyScenario, probeExitCode } from './classify.js';
export { parseDecisions } from './decisions.js';
export {
  type ConversationView,
  type EmittedCall,
  type StubAction,
  decide,
  nextStep,
  selectScenario,
} from './engine.js';
export { type JsonSchema, schemaProblems } from './json-schema.js';
export { toJUnit } from './junit.js';
export {
  type AgentRun,
  DEFAULT_TIMEOUT_MS,
  DUMMY_API_KEY,
  PROBE_TENANT,
  ProbeInternalError,
  ProbeInterruptedError,
  type ProbeRunOptions,
  ProbeUsageError,
  agentEnvironment,
  runAgentCommand,
  runProbe,
} from './runner.js';
export {
  CATALOGUE_VERSION,
  PROBE_MODEL_PREFIX,
  SCENARIOS,
  type Scenario,
  type ScriptedCall,
  TRIGGER_MARKER_PREFIX,
  TRIGGER_MARKER_SUFFIX,
  findScenario,
  probeModelName,
  probePrompt,
  triggerMarker,
} from './scenarios.js';
export {
  type StubRequestRecord,
  type StubServer,
  type StubServerOptions,
  startStubServer,
} from './stub-server.js';
export { TOOL_VERSION } from './version.js';
