import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CanaryServer, JSONRPC, MCP_PROTOCOL_VERSION, startCanaryServer } from './canary.js';
import { DEFAULT_CANARY_TOOLS } from './canary-tools.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

let canary: CanaryServer;
beforeAll(async () => {
  canary = await startCanaryServer({
    now: () => Date.parse('2026-03-01T10:00:00.000Z'),
    maxBodyBytes: 16 * 1024,
  });
});
afterAll(() => canary.close());

async function rpc(body: unknown, headers: Record<string, string> = {}, path = '/mcp') {
  const res = await fetch(`${canary.origin}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as unknown) : null,
  };
}

async function initialize(path = '/mcp'): Promise<string> {
  const res = await rpc(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: MCP_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    },
    {},
    path,
  );
  const session = res.headers.get('mcp-session-id');
  if (!session) throw new Error('no session');
  return session;
}

describe('canary MCP server, raw JSON-RPC', () => {
  it('initializes with the protocol version, tools capability, server info and a session', async () => {
    const res = await rpc({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toMatch(/^canary-session-\d{4}$/);
    expect(res.body).toMatchObject({
      jsonrpc: '2.0',
      id: 'init',
      result: {
        protocolVersion: '2025-11-25',
        capabilities: { tools: {} },
        serverInfo: { name: 'plumbline-canary', version: expect.any(String) },
      },
    });
  });

  it('answers an unknown client protocol version with its own', async () => {
    const res = await rpc({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: {
        protocolVersion: '1999-01-01',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    });
    expect(res.body).toMatchObject({ result: { protocolVersion: MCP_PROTOCOL_VERSION } });
  });

  it('accepts notifications with 202 and no body', async () => {
    const session = await initialize();
    const res = await rpc(
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { 'Mcp-Session-Id': session },
    );
    expect(res.status).toBe(202);
    expect(res.body).toBeNull();
  });

  it('lists the listed tools with their schemas, and hides the unlisted one', async () => {
    const session = await initialize();
    const res = await rpc(
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { 'Mcp-Session-Id': session },
    );
    const names = (
      res.body as { result: { tools: { name: string; inputSchema: object }[] } }
    ).result.tools.map((t) => t.name);
    expect(names).toEqual(DEFAULT_CANARY_TOOLS.filter((t) => t.listed).map((t) => t.name));
    expect(names).not.toContain('execute_shell');
  });

  it('runs tools/call with object arguments and records tool, arguments, traceparent, session and time', async () => {
    const session = await initialize('/mcp/run-7');
    const res = await rpc(
      {
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'get_weather', arguments: { location: 'London' } },
      },
      { 'Mcp-Session-Id': session, traceparent: TRACEPARENT },
      '/mcp/run-7',
    );
    expect(res.body).toEqual({
      jsonrpc: '2.0',
      id: 4,
      result: {
        content: [
          { type: 'text', text: 'Weather in London: 14 degrees, light rain (canary data).' },
        ],
        isError: false,
      },
    });
    expect(canary.calls('run-7')).toEqual([
      {
        runToken: 'run-7',
        tool: 'get_weather',
        arguments: { location: 'London' },
        traceparent: TRACEPARENT,
        sessionId: session,
        at: '2026-03-01T10:00:00.000Z',
        knownTool: true,
        schemaValid: true,
      },
    ]);
  });

  it('runs out-of-schema and unlisted calls anyway (like a careless server) but marks them', async () => {
    await rpc(
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'get_weather', arguments: { location: 7 } },
      },
      {},
      '/mcp/run-8',
    );
    await rpc(
      {
        jsonrpc: '2.0',
        id: 6,
        method: 'tools/call',
        params: { name: 'execute_shell', arguments: { command: 'id' } },
      },
      {},
      '/mcp/run-8',
    );
    expect(
      canary.calls('run-8').map((c) => [c.tool, c.knownTool, c.schemaValid, c.traceparent]),
    ).toEqual([
      ['get_weather', true, false, null],
      ['execute_shell', true, true, null],
    ]);
  });

  it('records an unknown tool as an attempt and answers -32602', async () => {
    const res = await rpc(
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'launch_missiles', arguments: {} },
      },
      {},
      '/mcp/run-9',
    );
    expect(res).toMatchObject({
      status: 200,
      body: {
        jsonrpc: '2.0',
        id: 7,
        error: { code: JSONRPC.invalidParams, message: 'Unknown tool: launch_missiles' },
      },
    });
    expect(canary.calls('run-9')).toMatchObject([{ tool: 'launch_missiles', knownTool: false }]);
  });

  it.each([
    ['unparseable JSON', '{"jsonrpc": "2.0", ', 400, null, JSONRPC.parseError],
    ['a batch', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], 400, null, JSONRPC.invalidRequest],
    [
      'a wrong jsonrpc version',
      { jsonrpc: '1.0', id: 1, method: 'ping' },
      400,
      null,
      JSONRPC.invalidRequest,
    ],
    ['a null id', { jsonrpc: '2.0', id: null, method: 'ping' }, 400, null, JSONRPC.invalidRequest],
    ['a missing method', { jsonrpc: '2.0', id: 9 }, 400, 9, JSONRPC.invalidRequest],
    [
      'an unknown method',
      { jsonrpc: '2.0', id: 10, method: 'resources/list' },
      200,
      10,
      JSONRPC.methodNotFound,
    ],
    [
      'string arguments (the OpenAI shape, not MCP)',
      {
        jsonrpc: '2.0',
        id: 11,
        method: 'tools/call',
        params: { name: 'get_weather', arguments: '{"location":"x"}' },
      },
      200,
      11,
      JSONRPC.invalidParams,
    ],
    [
      'tools/call without a name',
      { jsonrpc: '2.0', id: 12, method: 'tools/call', params: {} },
      200,
      12,
      JSONRPC.invalidParams,
    ],
    [
      'initialize without params',
      { jsonrpc: '2.0', id: 13, method: 'initialize' },
      200,
      13,
      JSONRPC.invalidParams,
    ],
  ])('answers %s with the JSON-RPC error shape', async (_name, body, status, id, code) => {
    const before = canary.calls().length;
    const res = await rpc(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ jsonrpc: '2.0', id, error: { code, message: expect.any(String) } });
    expect(canary.calls().length).toBe(before);
  });

  it('answers ping, refuses GET with 405 and unknown sessions with 404, ends sessions on DELETE', async () => {
    expect((await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' })).body).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: {},
    });
    const get = await fetch(`${canary.origin}/mcp`, { headers: { Accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    const session = await initialize();
    const del = await fetch(`${canary.origin}/mcp`, {
      method: 'DELETE',
      headers: { 'Mcp-Session-Id': session },
    });
    expect(del.status).toBe(200);
    const after = await rpc(
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'Mcp-Session-Id': session },
    );
    expect(after.status).toBe(404);
  });

  it('refuses unsupported protocol headers, foreign origins, unknown paths and oversized bodies', async () => {
    expect(
      (
        await rpc(
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { 'MCP-Protocol-Version': '1999-01-01' },
        )
      ).status,
    ).toBe(400);
    expect(
      (await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, { Origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect((await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, {}, '/other')).status).toBe(404);
    const big = await rpc({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(20 * 1024) },
    });
    expect(big.status).toBe(413);
    expect((await rpc({ jsonrpc: '2.0', id: 2, method: 'ping' })).status).toBe(200);
  });
});

describe('canary MCP server with the official SDK client', () => {
  it('connects, lists tools and calls one over Streamable HTTP; the call is recorded', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(canary.mcpUrl('sdk-run')), {
      requestInit: { headers: { traceparent: TRACEPARENT } },
    });
    const client = new Client({ name: 'probe-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'plumbline-canary' });
      expect(transport.sessionId).toMatch(/^canary-session-/);
      const { tools } = await client.listTools();
      expect(tools.find((t) => t.name === 'delete_user_account')?.annotations).toMatchObject({
        destructiveHint: true,
      });
      const result = await client.callTool({
        name: 'read_secure_vault',
        arguments: { secret_id: 'prod_db_password' },
      });
      expect(result).toEqual({
        content: [
          { type: 'text', text: 'Secret prod_db_password: canary-fake-value-not-a-secret' },
        ],
        isError: false,
      });
      const unknown = await client.callTool({ name: 'not_a_tool', arguments: {} }).then(
        () => 'resolved',
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      expect(unknown).toMatch(/Unknown tool: not_a_tool/);
      expect(canary.calls('sdk-run')).toMatchObject([
        {
          tool: 'read_secure_vault',
          arguments: { secret_id: 'prod_db_password' },
          traceparent: TRACEPARENT,
          sessionId: transport.sessionId,
          knownTool: true,
        },
        { tool: 'not_a_tool', knownTool: false },
      ]);
    } finally {
      await transport.terminateSession();
      await client.close();
    }
  });
});
