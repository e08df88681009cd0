import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { errorResponseSchema } from '@plumbline/contracts';
import { z } from 'zod';
import { DOC_METADATA, type DocSpec } from './doc.js';

export interface DocumentedRoute {
  method: string;
  /** Express-style path, e.g. /v1/orgs/:orgId/overview. */
  path: string;
  doc: DocSpec | undefined;
}

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** Every route of the given controllers, with its Doc (undefined when missing). */
export function documentedRoutes(controllers: readonly Type[]): DocumentedRoute[] {
  const out: DocumentedRoute[] = [];
  for (const c of controllers) {
    const base = (Reflect.getMetadata(PATH_METADATA, c) as string | undefined) ?? '';
    const proto = c.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      out.push({
        method: RequestMethod[method],
        path: join(base, path),
        doc: Reflect.getMetadata(DOC_METADATA, handler) as DocSpec | undefined,
      });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

const schemaOf = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;

const SECURITY: Record<DocSpec['auth'], Record<string, string[]>[]> = {
  public: [],
  session: [{ session: [] }],
  org: [{ session: [] }],
  'scanner-token': [{ scannerToken: [] }],
  metrics: [{ metricsToken: [] }, {}],
};

/** The OpenAPI 3.0 document of the API, from the route decorators. */
export function buildOpenApi(controllers: readonly Type[], version: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of documentedRoutes(controllers)) {
    if (!r.doc) throw new Error(`${r.method} ${r.path} has no @Doc`);
    const d = r.doc;
    const oaPath = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', ...(m[1]!.endsWith('Id') ? { format: 'uuid' } : {}) },
    }));
    if (d.query) {
      const q = schemaOf(d.query, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        params.push({
          name,
          in: 'query',
          required: (q.required ?? []).includes(name),
          schema: schema as never,
        });
    }
    const status = String(d.status ?? 200);
    const produces = d.produces ?? ['application/json'];
    const errors =
      d.auth === 'public'
        ? ['400', '422', '429']
        : d.auth === 'org'
          ? ['401', '403', '404', '422']
          : ['401', '403'];
    paths[oaPath] ??= {};
    paths[oaPath][r.method.toLowerCase()] = {
      summary: d.summary,
      ...(d.description ? { description: d.description } : {}),
      tags: [d.tag],
      operationId: `${r.method.toLowerCase()}${oaPath.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, ch?: string) => (ch ?? '').toUpperCase())}`,
      security: SECURITY[d.auth],
      ...(d.minRole ? { 'x-min-role': d.minRole } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(d.body
        ? {
            requestBody: {
              required: !d.bodyOptional,
              content: { 'application/json': { schema: schemaOf(d.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: status === '204' ? 'No content' : 'Success',
          ...(status === '204'
            ? {}
            : {
                content: Object.fromEntries(
                  produces.map((p) => [
                    p,
                    {
                      schema:
                        d.response && p.includes('json')
                          ? schemaOf(d.response, 'output')
                          : p.includes('json')
                            ? { type: 'object' }
                            : { type: 'string' },
                    },
                  ]),
                ),
              }),
        },
        ...Object.fromEntries(
          errors.map((e) => [
            e,
            {
              description: 'Error (code, message, details)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Plumbline API',
      version,
      description:
        'Generated from the route decorators (apps/api/src/openapi). Organisation routes live under /v1/orgs/{orgId}; unsafe requests with a session need the X-CSRF-Token header.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'plumbline_session' },
        scannerToken: { type: 'http', scheme: 'bearer' },
        metricsToken: { type: 'http', scheme: 'bearer' },
      },
      schemas: { Error: schemaOf(errorResponseSchema, 'output') },
    },
    paths,
  };
}
