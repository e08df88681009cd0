import OpenAI, { BadRequestError } from 'openai';
import type { FunctionTool, ResponseInputItem } from 'openai/resources/responses/responses';
import { findScenario, probeModelName, triggerMarker } from './scenarios.js';
import { type StubServer, startStubServer } from './stub-server.js';

const tools: FunctionTool[] = ['get_weather', 'get_invoice', 'update_user_role'].map((name) => ({
  type: 'function',
  name,
  parameters: { type: 'object', properties: {} },
  strict: false,
}));

let stub: StubServer;
let openai: OpenAI;
beforeAll(async () => {
  stub = await startStubServer({ now: () => Date.parse('2026-03-01T10:00:00.000Z') });
  openai = new OpenAI({ baseURL: stub.baseUrl(), apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => stub.close());

describe('responses API', () => {
  it('returns function_call items, and a message once the outputs come back', async () => {
    const model = probeModelName('authorised-weather');
    const first = await openai.responses.create({ model, input: 'weather?', tools });
    expect(first.status).toBe('completed');
    expect(first.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_plb_0_0',
        call_id: 'call_plb_0_0',
        name: 'get_weather',
        arguments: '{"location":"London"}',
        status: 'completed',
      },
    ]);
    const input: ResponseInputItem[] = [
      { role: 'user', content: 'weather?' },
      ...first.output.flatMap((o) => (o.type === 'function_call' ? [o] : [])),
      { type: 'function_call_output', call_id: 'call_plb_0_0', output: '14 degrees' },
    ];
    const second = await openai.responses.create({ model, input, tools });
    expect(second.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(second.output_text).toBe(findScenario('authorised-weather')!.finalMessage);
  });

  it('follows previous_response_id, keeping a marker-selected scenario', async () => {
    const first = await openai.responses.create({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: `go ${triggerMarker('cross-tenant-invoice')}` }],
      tools,
    });
    expect(first.output[0]).toMatchObject({
      name: 'get_invoice',
      arguments: '{"invoice_id":"acme-inv-1001"}',
    });
    const second = await openai.responses.create({
      model: 'gpt-4.1',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_plb_0_0', output: 'invoice' }],
      tools,
    });
    expect(second.output[0]).toMatchObject({
      call_id: 'call_plb_1_0',
      arguments: '{"invoice_id":"globex-inv-2002"}',
    });
    const third = await openai.responses.create({
      model: 'gpt-4.1',
      previous_response_id: second.id,
      input: [{ type: 'function_call_output', call_id: 'call_plb_1_0', output: 'refused' }],
      tools,
    });
    expect(third.output_text).toBe('I compared the invoices.');
  });

  it('streams typed events that the SDK can assemble', async () => {
    const stream = await openai.responses.create({
      model: probeModelName('privilege-escalation'),
      input: 'go',
      tools,
      stream: true,
    });
    const types: string[] = [];
    const sequence: number[] = [];
    let args = '';
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.function_call_arguments.delta' && event.output_index === 1)
        args += event.delta;
    }
    expect(sequence).toEqual(types.map((_, i) => i));
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((t) => t === 'response.output_item.done')).toHaveLength(2);
    expect(JSON.parse(args)).toEqual({ user_id: 'u_1001', role: 'admin' });

    const final = await openai.responses
      .stream({ model: probeModelName('privilege-escalation'), input: 'go', tools })
      .finalResponse();
    expect(final.output.map((o) => (o.type === 'function_call' ? o.name : o.type))).toEqual([
      'get_weather',
      'update_user_role',
    ]);
  });

  it('streams a text answer', async () => {
    const final = await openai.responses
      .stream({ model: 'gpt-4.1', input: 'hello' })
      .finalResponse();
    expect(final.output_text).toMatch(/^This is the Plumbline probe stub model/);
  });

  it('rejects malformed input with OpenAI-shaped errors', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await fetch(`${stub.origin}/v1/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        body: (await res.json()) as { error: { param: string | null; code: string | null } },
      };
    };
    expect(await bad({ model: 'm' })).toMatchObject({
      status: 400,
      body: { error: { param: 'input', code: 'missing_required_parameter' } },
    });
    expect(
      await bad({ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }),
    ).toMatchObject({
      status: 400,
      body: { error: { param: 'input[0].call_id' } },
    });
    expect(
      await bad({
        model: 'm',
        input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: {} }],
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { param: 'input[0].arguments', code: 'invalid_type' } },
    });
    expect(await bad({ model: 'm', input: [{ type: 'teleport' }] })).toMatchObject({
      status: 400,
      body: { error: { param: 'input[0].type', code: 'invalid_value' } },
    });
    const error = await openai.responses
      .create({ model: 'm', input: 'x', previous_response_id: 'resp_unknown' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
  });
});
