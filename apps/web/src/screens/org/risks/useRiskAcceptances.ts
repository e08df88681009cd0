import type { RiskAcceptance } from '@plumbline/contracts';
import { useResource } from '../../../hooks/useResource';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';

/**
 * The organisation's accepted risks, to mark what they cover. Not essential: until they are read,
 * or when they cannot be, the list is empty and the results stand on their own.
 */
export function useRiskAcceptances(): [readonly RiskAcceptance[], () => void] {
  const api = useApi();
  const org = useOrg();
  const [risks, reload] = useResource(
    (signal) => api.riskAcceptances(org.id, signal),
    [api, org.id],
  );
  return [risks.status === 'loaded' ? risks.data.items : [], reload];
}
