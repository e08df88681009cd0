import type { Database } from '@plumbline/db';
import type { AnyJobHandler } from '../port.js';
import { snapshotAnalyzeHandler } from './snapshot-analyze.js';

/** Every processor, keyed by job name. The worker and the in-process queue both use this list. */
export function createJobHandlers(db: Database): AnyJobHandler[] {
  return [snapshotAnalyzeHandler(db)];
}
