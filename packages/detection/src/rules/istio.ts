// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const istioRule: ComponentRule = {
  id: 'istio',
  name: 'Istio',
  category: 'service-mesh',
  runtime: [
    { kind: ['Deployment'], name: /^istiod(-.+)?$/ },
    { image: /istio\/pilot:/ },
    { kind: ['DaemonSet'], name: /^(ztunnel|istio-cni-node)$/ },
    // Workloads running in the mesh: an injected istio-proxy sidecar (a gateway's lone proxy is not).
    { sidecar: /^istio-proxy$/ },
  ],
  api: [
    { crdGroup: /\.istio\.io$/ },
    { webhook: /^istio-(sidecar-injector|validator|revision-tag)/ },
  ],
  support: [
    { namespaceLabel: ['istio-injection', /^enabled$/] },
    { namespaceLabel: ['istio.io/dataplane-mode', /^ambient$/] },
  ],
  versionFromImage: /istio\/(?:pilot|proxyv2|ztunnel|install-cni):(\d[\w.-]*)/,
  attributes: (ctx) => {
    const ambient =
      ctx.workloads.some((w) => w.name === 'ztunnel') ||
      ctx.snapshot.namespaces.some((n) => n.labels['istio.io/dataplane-mode'] === 'ambient');
    return { mode: ambient ? 'ambient' : 'sidecar' };
  },
  fixtures: {
    pass: [
      {
        name: 'istiod',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'istiod',
              images: ['docker.io/istio/pilot:1.28.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.28.0',
          attributes: {
            mode: 'sidecar',
          },
        },
      },
      {
        name: 'ambient ztunnel',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'istio-system',
              name: 'ztunnel',
              images: ['docker.io/istio/ztunnel:1.28.0'],
            },
          ],
        },
        expect: {
          attributes: {
            mode: 'ambient',
          },
        },
      },
    ],
    fail: [
      {
        name: 'gateway pods only',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'istio-ingressgateway',
              images: ['docker.io/istio/proxyv2:1.28.0'],
              podLabels: {
                istio: 'ingressgateway',
              },
            },
          ],
        },
      },
    ],
  },
};
