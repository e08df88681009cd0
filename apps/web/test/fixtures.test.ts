import { describe, it } from '@jest/globals';
import {
  agentsOverviewSchema,
  clusterDetailSchema,
  costResponseSchema,
  historyEntrySchema,
  overviewSchema,
  scanDiffSchema,
  selfAssessmentResponseSchema,
} from '@plumbline/contracts';
import {
  AGENTS,
  CLUSTER_DETAIL,
  costWith,
  diffOf,
  EMPTY_OVERVIEW,
  HISTORY,
  OVERVIEW,
  SCAN_MID,
  SCAN_NEW,
  SELF_ASSESSMENT,
} from './read-fixtures';

describe('the screens’ test answers', () => {
  it('are what the read API can answer (the contracts’ schemas accept them)', () => {
    overviewSchema.parse(OVERVIEW);
    overviewSchema.parse(EMPTY_OVERVIEW);
    clusterDetailSchema.parse(CLUSTER_DETAIL);
    for (const h of HISTORY) historyEntrySchema.parse(h);
    scanDiffSchema.parse(diffOf(SCAN_MID, SCAN_NEW));
    scanDiffSchema.parse(diffOf(null, SCAN_NEW));
    agentsOverviewSchema.parse(AGENTS);
    selfAssessmentResponseSchema.parse(SELF_ASSESSMENT);
    costResponseSchema.parse(costWith(40_000_000));
    costResponseSchema.parse(costWith(80_000_000, { engineers: 20 }));
  });
});
