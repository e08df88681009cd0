/**
 * Writes the OpenAPI document generated from the route decorators:
 *   npm run openapi -w @plumbline/api   (after a build) -> docs/openapi.json
 * A unit test regenerates it and fails when the committed file differs.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLLERS } from '../app.module.js';
import { API_VERSION } from '../version.js';
import { buildOpenApi } from './openapi.js';

const OPENAPI_FILE = join(__dirname, '../../../../docs/openapi.json');

const doc = buildOpenApi(CONTROLLERS, API_VERSION);
writeFileSync(OPENAPI_FILE, JSON.stringify(doc, null, 2) + '\n');
process.stdout.write(
  `wrote ${OPENAPI_FILE} (${Object.keys((doc as { paths: object }).paths).length} paths)\n`,
);
