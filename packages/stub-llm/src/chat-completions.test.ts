import OpenAI, { NotFoundError } from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { SCENARIOS, probeModelName, triggerMarker } from './scenarios.js';
import { type StubServer, startStubServer } from './stub-server.js';

const FIXED_NOW = Date.parse('2026-03-01T10:00:00.000Z');

const tools: ChatCompletionTool[] = [
  'get_weather',
  'get_invoice',
  'read_secure_vault',
  'transfer_funds',
  'update_user_role',
].map((name) => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: {} } },
}));

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer({ now: () => FIXED_NOW, maxBodyBytes: 64 * 1024 });
});
afterAll(() => stub.close());

async function post(path: string, body: unknown, init: RequestInit = {}) {
  const res = await fetch(`${stub.origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-test' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return block.slice('data: '.length);
    });
}

const weatherRequest = {
  model: probeModelName('authorised-weather'),
  messages: [{ role: 'user', content: 'What is the weather in London?' }],
  tools,
};

describe('chat completions, raw HTTP', () => {
  it('answers a tool call with arguments as a JSON string, then stops after the result', async () => {
    const first = await post('/v1/chat/completions', weatherRequest);
    expect(first.status).toBe(200);
    const body = JSON.parse(first.text) as {
      object: string;
      created: number;
      choices: { finish_reason: string; message: { content: null; tool_calls: unknown[] } }[];
      usage: { total_tokens: number };
    };
    expect(body.object).toBe('chat.completion');
    expect(body.created).toBe(FIXED_NOW / 1000);
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_plb_0_0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"London"}' },
          },
        ],
      },
    });
    expect(body.usage.total_tokens).toBeGreaterThan(0);

    const second = await post('/v1/chat/completions', {
      ...weatherRequest,
      messages: [
        ...weatherRequest.messages,
        { role: 'assistant', content: null, tool_calls: body.choices[0]!.message.tool_calls },
        { role: 'tool', tool_call_id: 'call_plb_0_0', content: 'Weather in London: 14 degrees' },
      ],
    });
    expect(JSON.parse(second.text)).toMatchObject({
      choices: [
        {
          finish_reason: 'stop',
          message: { role: 'assistant', content: SCENARIOS[0]!.finalMessage },
        },
      ],
    });
  });

  it('gives byte-identical answers to identical requests', async () => {
    const a = await post('/v1/chat/completions', weatherRequest);
    const b = await post('/v1/chat/completions', weatherRequest);
    expect(a.text).toBe(b.text);
    const other = await post('/v1/chat/completions', {
      ...weatherRequest,
      model: probeModelName('vault-secret-read'),
    });
    expect(JSON.parse(other.text).id).not.toBe(JSON.parse(a.text).id);
  });

  it('streams tool-call deltas by index, a finish chunk, a usage chunk and [DONE]', async () => {
    const res = await post('/v1/chat/completions', {
      model: probeModelName('privilege-escalation'),
      messages: [{ role: 'user', content: 'hi' }],
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = sseData(res.text);
    expect(data.at(-1)).toBe('[DONE]');
    type Chunk = {
      object: string;
      usage: unknown;
      choices: {
        finish_reason: string | null;
        delta: {
          role?: string;
          tool_calls?: {
            index: number;
            id?: string;
            function: { name?: string; arguments?: string };
          }[];
        };
      }[];
    };
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ total_tokens: expect.any(Number) });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');

    const calls: { id?: string; name?: string; args: string; deltas: number }[] = [];
    for (const c of chunks) {
      for (const t of c.choices[0]?.delta.tool_calls ?? []) {
        const slot = (calls[t.index] ??= { args: '', deltas: 0 });
        slot.deltas += 1;
        if (t.id) {
          // id and name only ever come in the first delta of a call
          expect(slot.deltas).toBe(1);
          slot.id = t.id;
          slot.name = t.function.name;
        }
        slot.args += t.function.arguments ?? '';
      }
    }
    expect(calls.map((c) => [c.id, c.name, JSON.parse(c.args)])).toEqual([
      ['call_plb_0_0', 'get_weather', { location: 'Berlin' }],
      ['call_plb_0_1', 'update_user_role', { user_id: 'u_1001', role: 'admin' }],
    ]);
    // Arguments really arrive in fragments.
    expect(calls.every((c) => c.deltas > 2)).toBe(true);
  });

  it('streams a plain answer with finish reason stop and no usage chunk unless asked', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    const data = sseData(res.text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map(
      (d) =>
        JSON.parse(d) as {
          usage?: unknown;
          choices: { finish_reason: string | null; delta: { content?: string } }[];
        },
    );
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    const text = chunks.map((c) => c.choices[0]!.delta.content ?? '').join('');
    expect(text).toMatch(/^This is the Plumbline probe stub model/);
  });

  it('records each turn under its run token', async () => {
    await post('/r/token-a/v1/chat/completions', {
      ...weatherRequest,
      messages: [{ role: 'user', content: `hi ${triggerMarker('vault-secret-read')}` }],
      model: 'any-model',
    });
    const records = stub.records('token-a');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      runToken: 'token-a',
      api: 'chat.completions',
      stream: false,
      scenarioId: 'vault-secret-read',
      action: { kind: 'tool_calls', calls: [{ tool: 'read_secure_vault' }] },
      at: '2026-03-01T10:00:00.000Z',
    });
  });

  it('lists its models', async () => {
    const res = await fetch(`${stub.origin}/v1/models`);
    const body = (await res.json()) as { object: string; data: { id: string }[] };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toEqual([
      'plumbline-probe',
      ...SCENARIOS.map((s) => probeModelName(s.id)),
    ]);
    const one = await fetch(
      `${stub.origin}/v1/models/${encodeURIComponent(probeModelName('vault-secret-read'))}`,
    );
    expect(await one.json()).toMatchObject({
      id: 'plumbline-probe/vault-secret-read',
      object: 'model',
    });
  });
});

describe('chat completions, malformed requests', () => {
  const shape = (status: number, param: string | null, code: string | null) => ({
    status,
    body: { error: { message: expect.any(String), type: 'invalid_request_error', param, code } },
  });
  const call = async (path: string, body: unknown, init: RequestInit = {}) => {
    const r = await post(path, body, init);
    return { status: r.status, body: JSON.parse(r.text) as unknown };
  };

  it.each([
    ['invalid JSON', '{"model": ', null, null],
    ['a JSON array', '[1, 2]', null, null],
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model', null],
    ['no messages', { model: 'm' }, 'messages', 'missing_required_parameter'],
    ['empty messages', { model: 'm', messages: [] }, 'messages', 'empty_array'],
    [
      'a bad role',
      { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
      'messages[0].role',
      'invalid_value',
    ],
    [
      'a tool message without tool_call_id',
      { model: 'm', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
      'missing_required_parameter',
    ],
    [
      'tool-call arguments sent back as an object',
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'f', arguments: { a: 1 } } },
            ],
          },
        ],
      },
      'messages[1].tool_calls[0].function.arguments',
      'invalid_type',
    ],
    [
      'a bad tool name',
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name: 'no spaces' } }],
      },
      'tools[0].function.name',
      'invalid_value',
    ],
    [
      'stream_options without stream',
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stream_options: { include_usage: true },
      },
      'stream_options',
      'invalid_value',
    ],
    [
      'n > 1',
      { model: 'm', messages: [{ role: 'user', content: 'x' }], n: 2 },
      'n',
      'unsupported_value',
    ],
  ])('400 for %s', async (_name, body, param, code) => {
    expect(await call('/v1/chat/completions', body)).toEqual(shape(400, param, code));
  });

  it('404 for an unknown probe model and an unknown URL, 405 for a wrong method', async () => {
    expect(
      await call('/v1/chat/completions', { ...weatherRequest, model: 'plumbline-probe/nope' }),
    ).toEqual(shape(404, null, 'model_not_found'));
    expect(await call('/v1/embeddings', { input: 'x' })).toEqual(shape(404, null, 'unknown_url'));
    const get = await fetch(`${stub.origin}/v1/chat/completions`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual(shape(405, null, 'method_not_allowed').body);
  });

  it('403 for a request from a web page on another origin', async () => {
    expect(
      await call('/v1/chat/completions', weatherRequest, {
        headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      }),
    ).toEqual(shape(403, null, 'forbidden_origin'));
    const local = await post('/v1/chat/completions', weatherRequest, {
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
    });
    expect(local.status).toBe(200);
  });

  it('413 for a body over the limit, and keeps serving', async () => {
    const huge = { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] };
    expect(await call('/v1/chat/completions', huge)).toEqual(shape(413, null, 'request_too_large'));
    expect((await post('/v1/chat/completions', weatherRequest)).status).toBe(200);
  });
});

describe('chat completions through the official openai client', () => {
  const client = () =>
    new OpenAI({ baseURL: stub.baseUrl('sdk'), apiKey: 'sk-test', maxRetries: 0 });

  async function loop(
    streaming: boolean,
    scenarioId: string,
  ): Promise<{ calls: string[]; answer: string }> {
    const openai = client();
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'go' }];
    const calls: string[] = [];
    for (let turn = 0; turn < 5; turn++) {
      const message = streaming
        ? await openai.chat.completions
            .stream({
              model: probeModelName(scenarioId),
              messages,
              tools,
              stream_options: { include_usage: true },
            })
            .finalMessage()
        : (
            await openai.chat.completions.create({
              model: probeModelName(scenarioId),
              messages,
              tools,
            })
          ).choices[0]!.message;
      const toolCalls = (message.tool_calls ?? []).flatMap((c) =>
        c.type === 'function' ? [c] : [],
      );
      if (toolCalls.length === 0) return { calls, answer: message.content ?? '' };
      messages.push({ role: 'assistant', content: message.content, tool_calls: toolCalls });
      for (const c of toolCalls) {
        calls.push(`${c.function.name} ${c.function.arguments}`);
        messages.push({ role: 'tool', tool_call_id: c.id, content: 'ok' });
      }
    }
    throw new Error('the stub never stopped');
  }

  it.each([false, true])(
    'plays a two-step scenario to the end (streaming: %s)',
    async (streaming) => {
      expect(await loop(streaming, 'cross-tenant-invoice')).toEqual({
        calls: [
          'get_invoice {"invoice_id":"acme-inv-1001"}',
          'get_invoice {"invoice_id":"globex-inv-2002"}',
        ],
        answer: 'I compared the invoices.',
      });
    },
  );

  it('hands parallel streamed calls to the SDK accumulator intact', async () => {
    expect((await loop(true, 'privilege-escalation')).calls).toEqual([
      'get_weather {"location":"Berlin"}',
      'update_user_role {"user_id":"u_1001","role":"admin"}',
    ]);
  });

  it('surfaces stub errors as typed SDK errors', async () => {
    const error = await client()
      .chat.completions.create({
        model: 'plumbline-probe/nope',
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
