import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Version of the API package, read once. */
export const API_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
).version;
