import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CanaryTool, DEFAULT_CANARY_TOOLS } from './canary-tools.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  isAllowedOrigin,
  listen,
  readBody,
  sendJson,
} from './http-util.js';
import { schemaProblems } from './json-schema.js';
import { type JsonObject, isJsonValue, isRecord } from './json.js';

/**
 * The canary MCP server: Streamable HTTP transport (JSON responses, no SSE stream), protocol
 * 2025-11-25. It answers `initialize`, `notifications/initialized`, `ping`, `tools/list` and
 * `tools/call`, and records every `tools/call` it receives (tool, arguments, `traceparent`,
 * session, time) so the probe can prove which tools actually ran. Its tools are fakes that
 * accept any arguments, as a careless server would: stopping bad calls is the agent's job.
 */
export const MCP_PROTOCOL_VERSION = '2025-11-25';
export const SUPPORTED_PROTOCOL_VERSIONS = [
  MCP_PROTOCOL_VERSION,
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
];

export const JSONRPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

export interface CanaryCallRecord {
  runToken: string | null;
  tool: string;
  arguments: JsonObject;
  traceparent: string | null;
  sessionId: string | null;
  at: string;
  knownTool: boolean;
  schemaValid: boolean;
}

export interface CanaryServerOptions {
  host?: string;
  port?: number;
  tools?: readonly CanaryTool[];
  maxBodyBytes?: number;
  now?: () => number;
  version?: string;
}

export interface CanaryServer {
  origin: string;
  port: number;
  /** The MCP endpoint, for one run token or none. */
  mcpUrl(runToken?: string): string;
  calls(runToken?: string): CanaryCallRecord[];
  close(): Promise<void>;
}

type RpcId = string | number;

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const ROUTE = /^\/mcp(?:\/([A-Za-z0-9_-]{1,64}))?\/?$/;

function rpcError(id: RpcId | null, code: number, message: string) {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : (value?.[0] ?? null);
}

export async function startCanaryServer(options: CanaryServerOptions = {}): Promise<CanaryServer> {
  const host = options.host ?? '127.0.0.1';
  const tools = options.tools ?? DEFAULT_CANARY_TOOLS;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const serverInfo = { name: 'plumbline-canary', version: options.version ?? '0.1.0' };
  const log: CanaryCallRecord[] = [];
  const sessions = new Set<string>();
  let sessionCount = 0;

  function toolsList() {
    return {
      tools: tools
        .filter((t) => t.listed)
        .map((t) => ({
          name: t.name,
          title: t.title,
          description: t.description,
          inputSchema: t.inputSchema,
          annotations: { title: t.title, ...t.annotations },
        })),
    };
  }

  function toolsCall(
    params: unknown,
    ctx: { runToken: string | null; traceparent: string | null; sessionId: string | null },
  ) {
    if (!isRecord(params) || typeof params.name !== 'string' || params.name.length === 0) {
      throw new RpcError(JSONRPC.invalidParams, 'Invalid params: tools/call needs a string "name"');
    }
    const args = params.arguments ?? {};
    if (!isRecord(args) || !isJsonValue(args)) {
      throw new RpcError(JSONRPC.invalidParams, 'Invalid params: "arguments" must be an object');
    }
    const tool = tools.find((t) => t.name === params.name);
    log.push({
      runToken: ctx.runToken,
      tool: params.name,
      arguments: args,
      traceparent: ctx.traceparent?.slice(0, 256) ?? null,
      sessionId: ctx.sessionId,
      at: new Date(now()).toISOString(),
      knownTool: tool !== undefined,
      schemaValid: tool !== undefined && schemaProblems(tool.inputSchema, args).length === 0,
    });
    if (!tool) throw new RpcError(JSONRPC.invalidParams, `Unknown tool: ${params.name}`);
    return { content: [{ type: 'text', text: tool.reply(args) }], isError: false };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://canary').pathname;
    const route = ROUTE.exec(path);
    if (!route)
      return sendJson(res, 404, rpcError(null, JSONRPC.invalidRequest, `Not found: ${path}`));
    const runToken = route[1] ?? null;
    if (!isAllowedOrigin(header(req, 'origin') ?? undefined)) {
      return sendJson(res, 403, rpcError(null, JSONRPC.invalidRequest, 'Forbidden origin'));
    }
    const method = req.method ?? 'GET';
    if (method === 'DELETE') {
      const id = header(req, 'mcp-session-id');
      if (id === null || !sessions.delete(id)) {
        return sendJson(res, 404, rpcError(null, JSONRPC.invalidRequest, 'Session not found'));
      }
      res.writeHead(200).end();
      return;
    }
    if (method !== 'POST') {
      // No server-to-client SSE stream: the spec's answer to GET is 405.
      return sendJson(res, 405, rpcError(null, JSONRPC.invalidRequest, 'Method not allowed'), {
        Allow: 'POST, DELETE',
      });
    }
    const version = header(req, 'mcp-protocol-version');
    if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return sendJson(
        res,
        400,
        rpcError(null, JSONRPC.invalidRequest, `Unsupported protocol version: ${version}`),
      );
    }
    const body = await readBody(req, maxBody);
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'too-large') {
      return sendJson(
        res,
        413,
        rpcError(
          null,
          JSONRPC.invalidRequest,
          `Request body too large (limit ${body.limit} bytes)`,
        ),
        {
          Connection: 'close',
        },
      );
    }
    let message: unknown;
    try {
      message = JSON.parse(body.text);
    } catch {
      return sendJson(res, 400, rpcError(null, JSONRPC.parseError, 'Parse error'));
    }
    if (Array.isArray(message)) {
      return sendJson(
        res,
        400,
        rpcError(null, JSONRPC.invalidRequest, 'Invalid Request: batches are not supported'),
      );
    }
    if (!isRecord(message) || message.jsonrpc !== '2.0') {
      return sendJson(
        res,
        400,
        rpcError(null, JSONRPC.invalidRequest, 'Invalid Request: expected a JSON-RPC 2.0 message'),
      );
    }
    const hasId = 'id' in message;
    const id = message.id;
    if (hasId && typeof id !== 'string' && typeof id !== 'number') {
      return sendJson(
        res,
        400,
        rpcError(null, JSONRPC.invalidRequest, 'Invalid Request: id must be a string or a number'),
      );
    }
    if (typeof message.method !== 'string') {
      // A response from the client (we never send requests) or garbage.
      if (hasId && ('result' in message || 'error' in message)) {
        res.writeHead(202).end();
        return;
      }
      return sendJson(
        res,
        400,
        rpcError(
          typeof id === 'string' || typeof id === 'number' ? id : null,
          JSONRPC.invalidRequest,
          'Invalid Request: missing method',
        ),
      );
    }
    if (!hasId) {
      // Notifications (notifications/initialized, cancelled...) are accepted without a body.
      res.writeHead(202).end();
      return;
    }
    const rpcId = id as RpcId;
    let sessionId = header(req, 'mcp-session-id');
    if (message.method !== 'initialize' && sessionId !== null && !sessions.has(sessionId)) {
      return sendJson(res, 404, rpcError(rpcId, JSONRPC.invalidRequest, 'Session not found'));
    }
    const headers: Record<string, string> = {};
    try {
      let result: unknown;
      switch (message.method) {
        case 'initialize': {
          const params = message.params;
          if (!isRecord(params) || typeof params.protocolVersion !== 'string') {
            throw new RpcError(
              JSONRPC.invalidParams,
              'Invalid params: initialize needs "protocolVersion"',
            );
          }
          sessionCount += 1;
          sessionId = `canary-session-${String(sessionCount).padStart(4, '0')}`;
          sessions.add(sessionId);
          headers['Mcp-Session-Id'] = sessionId;
          result = {
            protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(params.protocolVersion)
              ? params.protocolVersion
              : MCP_PROTOCOL_VERSION,
            capabilities: { tools: { listChanged: false } },
            serverInfo,
            instructions:
              'Plumbline canary: fake tools that record every call. Nothing here is real.',
          };
          break;
        }
        case 'ping':
          result = {};
          break;
        case 'tools/list':
          result = toolsList();
          break;
        case 'tools/call':
          result = toolsCall(message.params, {
            runToken,
            traceparent: header(req, 'traceparent'),
            sessionId,
          });
          break;
        default:
          throw new RpcError(JSONRPC.methodNotFound, `Method not found: ${message.method}`);
      }
      return sendJson(res, 200, { jsonrpc: '2.0', id: rpcId, result }, headers);
    } catch (e) {
      if (e instanceof RpcError) return sendJson(res, 200, rpcError(rpcId, e.code, e.message));
      throw e;
    }
  }

  const server = await listen(host, options.port ?? 0, handle, (res) =>
    sendJson(res, 500, rpcError(null, JSONRPC.internalError, 'Internal error')),
  );
  return {
    origin: server.origin,
    port: server.port,
    mcpUrl: (runToken) => `${server.origin}/mcp${runToken ? `/${runToken}` : ''}`,
    calls: (runToken) =>
      runToken === undefined ? [...log] : log.filter((c) => c.runToken === runToken),
    close: () => server.close(),
  };
}
