import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** This package's version (from package.json, beside both src/ and dist/). */
export const TOOL_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
).version;
