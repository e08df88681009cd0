import type { Reporter } from './output.js';
import type { ScanIo } from './scan.js';

/**
 * For tests: the scanner's I/O captured in memory. `logs` holds every reporter line as
 * `<level> <message>`, `fields` the structured fields of errors, `out` what went to stdout.
 */
export function testIo(): ScanIo & {
  out: string[];
  logs: string[];
  fields: Record<string, unknown>[];
} {
  const logs: string[] = [];
  const out: string[] = [];
  const fields: Record<string, unknown>[] = [];
  const reporter: Reporter = {
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m, f) => {
      logs.push(`error ${m}`);
      fields.push(f ?? {});
    },
  };
  return {
    reporter,
    stdout: (t) => out.push(t),
    scanner: { name: 'plumbline-scanner', version: 'test' },
    out,
    logs,
    fields,
  };
}
