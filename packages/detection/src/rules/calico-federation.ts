// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const calicoFederationRule: ComponentRule = {
  id: 'calico-federation',
  name: 'Calico federation',
  category: 'multi-cluster',
  objects: [
    {
      list: 'customResources',
      group: /^projectcalico\.org$/,
      kind: /^RemoteClusterConfiguration$/,
    },
  ],
  support: [{ serviceAnnotation: ['federation.tigera.io/serviceSelector', /.+/] }],
  objectsMeanInstalled: true,
  supportDecides: true,
  fixtures: {
    pass: [
      {
        name: 'remote cluster',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'projectcalico.org/v3',
              kind: 'RemoteClusterConfiguration',
              name: 'cluster-b',
            },
          ],
        },
        expect: {
          status: 'installed',
        },
      },
    ],
    fail: [
      {
        name: 'a Calico tier',
        spec: {
          objects: [
            {
              list: 'policyObjects',
              apiVersion: 'projectcalico.org/v3',
              kind: 'Tier',
              name: 'security',
            },
          ],
        },
      },
    ],
  },
};
