import type { ClusterRecord } from '@plumbline/contracts';
import { useResource, type Resource } from '../../hooks/useResource';
import { useApi } from '../../session/session';
import { useOrg } from '../../session/org';

/** The organisation's clusters, by name. */
export function useClusters(): [Resource<ClusterRecord[]>, () => void] {
  const api = useApi();
  const org = useOrg();
  return useResource(async (signal) => (await api.clusters(org.id, signal)).items, [api, org.id]);
}
