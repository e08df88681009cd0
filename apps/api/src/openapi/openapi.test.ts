import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLLERS } from '../app.module.js';
import { API_VERSION } from '../version.js';
import { buildOpenApi, documentedRoutes } from './openapi.js';

const FILE = join(__dirname, '../../../../docs/openapi.json');

describe('OpenAPI document', () => {
  it('every route of every controller has a Doc', () => {
    const routes = documentedRoutes(CONTROLLERS);
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((r) => !r.doc).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('the committed docs/openapi.json equals the one generated from the code (regenerate: npm run openapi -w @plumbline/api)', () => {
    const generated = JSON.parse(JSON.stringify(buildOpenApi(CONTROLLERS, API_VERSION)));
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(generated);
  });

  it('describes request bodies and responses from the contracts', () => {
    const doc = buildOpenApi(CONTROLLERS, API_VERSION) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: unknown;
            responses: Record<
              string,
              { content?: Record<string, { schema: { properties?: object } }> }
            >;
            parameters?: { name: string; in: string }[];
          }
        >
      >;
    };
    const overview = doc.paths['/v1/orgs/{orgId}/overview']!.get!;
    expect(
      Object.keys(overview.responses['200']!.content!['application/json']!.schema.properties!),
    ).toEqual(
      expect.arrayContaining([
        'maturity',
        'accountability',
        'integrationTax',
        'clusters',
        'trends',
      ]),
    );
    expect(doc.paths['/v1/orgs/{orgId}/cost/assumptions']!.put!.requestBody).toBeDefined();
    const history = doc.paths['/v1/orgs/{orgId}/clusters/{clusterId}/history']!.get!;
    expect(history.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:orgId',
      'path:clusterId',
      'query:cursor',
      'query:limit',
    ]);
  });
});
