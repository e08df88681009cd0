import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type TurnMeta,
  estimateTokens,
  outputChars,
  renderChatChunks,
  renderChatCompletion,
} from './chat-render.js';
import {
  type ConversationView,
  type StubAction,
  type ToolResultSeen,
  decide,
  selectScenario,
} from './engine.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  isAllowedOrigin,
  listen,
  readBody,
  sendJson,
} from './http-util.js';
import {
  OpenAIRequestError,
  errorBody,
  parseChatRequest,
  parseJsonBody,
  parseResponsesRequest,
} from './openai-requests.js';
import { renderResponse, renderResponseEvents } from './responses-render.js';
import { PROBE_MODEL_PREFIX, SCENARIOS, type Scenario } from './scenarios.js';

/**
 * The OpenAI-compatible stub model over HTTP: `POST /v1/chat/completions` (plain and SSE),
 * `POST /v1/responses` (plain and SSE), `GET /v1/models[/{id}]`. Paths may be prefixed with
 * `/r/<run token>` so the runner can tell which scenario run a request belongs to. Every turn it
 * serves is recorded as evidence.
 */
export interface StubServerOptions {
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  scenarios?: readonly Scenario[];
  maxBodyBytes?: number;
  /** Clock for `created` fields and records (tests pin it for byte-identical answers). */
  now?: () => number;
}

export interface StubRequestRecord {
  runToken: string | null;
  api: 'chat.completions' | 'responses';
  stream: boolean;
  model: string;
  scenarioId: string | null;
  action: StubAction;
  /** Tool results the agent sent back in this request. */
  toolResults: readonly ToolResultSeen[];
  at: string;
}

export interface StubServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** The OpenAI base URL (ends in `/v1`), for one run token or none. */
  baseUrl(runToken?: string): string;
  records(runToken?: string): StubRequestRecord[];
  close(): Promise<void>;
}

const RUN_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const ROUTE = /^(?:\/r\/([^/]+))?(\/v1\/.*)$/;
const STORED_RESPONSES = 1000;

interface StoredResponse {
  scenarioId: string | null;
  callIds: string[];
  lastUserText: string | null;
}

export async function startStubServer(options: StubServerOptions = {}): Promise<StubServer> {
  const host = options.host ?? '127.0.0.1';
  const catalogue = options.scenarios ?? SCENARIOS;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const log: StubRequestRecord[] = [];
  const stored = new Map<string, StoredResponse>();

  const models = () => [
    {
      id: PROBE_MODEL_PREFIX.replace(/\/$/, ''),
      object: 'model',
      created: 0,
      owned_by: 'plumbline',
    },
    ...catalogue.map((s) => ({
      id: `${PROBE_MODEL_PREFIX}${s.id}`,
      object: 'model',
      created: 0,
      owned_by: 'plumbline',
    })),
  ];

  const fail = (res: ServerResponse, e: OpenAIRequestError, headers: Record<string, string> = {}) =>
    sendJson(res, e.status, errorBody(e), headers);

  /** Scenario for a turn, or an error for an unknown `plumbline-probe/<id>` model. */
  function resolve(
    view: ConversationView,
    fallbackScenarioId: string | null = null,
  ): Scenario | null {
    const selection = selectScenario(view.model, view.lastUserText, catalogue);
    if (selection.kind === 'unknown-model') {
      throw new OpenAIRequestError(
        404,
        `The model '${view.model}' does not exist or you do not have access to it.`,
        null,
        'model_not_found',
      );
    }
    if (selection.kind === 'scenario') return selection.scenario;
    return catalogue.find((s) => s.id === fallbackScenarioId) ?? null;
  }

  function meta(
    prefix: string,
    rawBody: string,
    model: string,
    promptChars: number,
    action: StubAction,
  ): TurnMeta {
    return {
      id: `${prefix}${createHash('sha256').update(rawBody).digest('hex').slice(0, 24)}`,
      created: Math.floor(now() / 1000),
      model,
      promptTokens: estimateTokens(promptChars),
      completionTokens: estimateTokens(outputChars(action)),
    };
  }

  function record(r: Omit<StubRequestRecord, 'at'>) {
    log.push({ ...r, at: new Date(now()).toISOString() });
  }

  function startSse(res: ServerResponse) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
  }

  async function chatCompletions(raw: string, runToken: string | null, res: ServerResponse) {
    const request = parseChatRequest(parseJsonBody(raw));
    const scenario = resolve(request.view);
    const action = decide(scenario, request.view);
    const m = meta('chatcmpl-plb-', raw, request.view.model, request.promptChars, action);
    record({
      runToken,
      api: 'chat.completions',
      stream: request.stream,
      model: request.view.model,
      scenarioId: scenario?.id ?? null,
      action,
      toolResults: request.view.toolResults,
    });
    if (!request.stream) {
      sendJson(res, 200, renderChatCompletion(action, m));
      return;
    }
    startSse(res);
    const body = renderChatChunks(action, m, request.includeUsage)
      .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
      .join('');
    res.end(`${body}data: [DONE]\n\n`);
  }

  async function responses(raw: string, runToken: string | null, res: ServerResponse) {
    const request = parseResponsesRequest(parseJsonBody(raw));
    let view = request.view;
    let fallback: string | null = null;
    if (request.previousResponseId !== null) {
      const previous = stored.get(request.previousResponseId);
      if (!previous) {
        throw new OpenAIRequestError(
          400,
          `Previous response with id '${request.previousResponseId}' not found.`,
          'previous_response_id',
          'previous_response_not_found',
        );
      }
      fallback = previous.scenarioId;
      view = {
        ...view,
        lastUserText: view.lastUserText ?? previous.lastUserText,
        callIdsSeen: [...previous.callIds, ...view.callIdsSeen],
      };
    }
    const scenario = resolve(view, fallback);
    const action = decide(scenario, view);
    const m = meta('resp_plb_', raw, view.model, request.promptChars, action);
    stored.set(m.id, {
      scenarioId: scenario?.id ?? null,
      callIds: [
        ...view.callIdsSeen,
        ...(action.kind === 'tool_calls' ? action.calls.map((c) => c.callId) : []),
      ],
      lastUserText: view.lastUserText,
    });
    if (stored.size > STORED_RESPONSES) {
      const oldest = stored.keys().next().value;
      if (oldest !== undefined) stored.delete(oldest);
    }
    record({
      runToken,
      api: 'responses',
      stream: request.stream,
      model: view.model,
      scenarioId: scenario?.id ?? null,
      action,
      toolResults: view.toolResults,
    });
    const ctx = {
      tools: request.tools,
      instructions: request.instructions,
      previousResponseId: request.previousResponseId,
    };
    if (!request.stream) {
      sendJson(res, 200, renderResponse(action, m, ctx));
      return;
    }
    startSse(res);
    res.end(
      renderResponseEvents(action, m, ctx)
        .map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`)
        .join(''),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    const origin = req.headers.origin;
    if (!isAllowedOrigin(typeof origin === 'string' ? origin : undefined)) {
      return fail(
        res,
        new OpenAIRequestError(
          403,
          'Requests from web pages are not accepted.',
          null,
          'forbidden_origin',
        ),
      );
    }
    const route = ROUTE.exec(path);
    const token = route?.[1] ?? null;
    const endpoint = route?.[2];
    if (!endpoint || (token !== null && !RUN_TOKEN.test(token))) {
      return fail(
        res,
        new OpenAIRequestError(404, `Unknown request URL: ${method} ${path}.`, null, 'unknown_url'),
      );
    }
    const allow = (methods: string) =>
      fail(
        res,
        new OpenAIRequestError(
          405,
          `Method ${method} is not allowed on ${endpoint}; use ${methods}.`,
          null,
          'method_not_allowed',
        ),
        { Allow: methods },
      );

    if (endpoint === '/v1/models') {
      if (method !== 'GET') return allow('GET');
      return sendJson(res, 200, { object: 'list', data: models() });
    }
    if (endpoint.startsWith('/v1/models/')) {
      if (method !== 'GET') return allow('GET');
      const id = decodeURIComponent(endpoint.slice('/v1/models/'.length));
      const model = models().find((m) => m.id === id);
      return model
        ? sendJson(res, 200, model)
        : fail(
            res,
            new OpenAIRequestError(
              404,
              `The model '${id}' does not exist or you do not have access to it.`,
              null,
              'model_not_found',
            ),
          );
    }
    const handler =
      endpoint === '/v1/chat/completions'
        ? chatCompletions
        : endpoint === '/v1/responses'
          ? responses
          : null;
    if (!handler) {
      return fail(
        res,
        new OpenAIRequestError(404, `Unknown request URL: ${method} ${path}.`, null, 'unknown_url'),
      );
    }
    if (method !== 'POST') return allow('POST');
    const body = await readBody(req, maxBody);
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'too-large') {
      return fail(
        res,
        new OpenAIRequestError(
          413,
          `Request body too large: the limit is ${body.limit} bytes.`,
          null,
          'request_too_large',
        ),
        { Connection: 'close' },
      );
    }
    try {
      await handler(body.text, token, res);
    } catch (e) {
      if (e instanceof OpenAIRequestError) return fail(res, e);
      throw e;
    }
  }

  const server = await listen(host, options.port ?? 0, handle, (res) =>
    sendJson(res, 500, {
      error: {
        message: 'The stub model failed on this request.',
        type: 'server_error',
        param: null,
        code: null,
      },
    }),
  );

  return {
    origin: server.origin,
    port: server.port,
    baseUrl: (runToken) => `${server.origin}${runToken ? `/r/${runToken}` : ''}/v1`,
    records: (runToken) =>
      runToken === undefined ? [...log] : log.filter((r) => r.runToken === runToken),
    close: () => server.close(),
  };
}
