// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const submarinerRule: ComponentRule = {
  id: 'submariner',
  name: 'Submariner',
  category: 'multi-cluster',
  runtime: [
    { kind: ['Deployment'], name: /^submariner-operator$/ },
    { kind: ['DaemonSet'], name: /^submariner-(gateway|routeagent)$/ },
  ],
  api: [{ crdGroup: /^submariner\.io$/ }],
  parts: [
    { name: 'gateway', signal: { kind: ['DaemonSet'], name: /^submariner-gateway$/ } },
    { name: 'route agent', signal: { kind: ['DaemonSet'], name: /^submariner-routeagent$/ } },
  ],
  versionFromImage: /submariner-[a-z-]+:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'operator only: partial',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'submariner-operator',
              name: 'submariner-operator',
              images: ['quay.io/submariner/submariner-operator:0.21.0'],
            },
          ],
        },
        expect: {
          status: 'partial',
          attributes: {
            missingParts: 'gateway, route agent',
          },
        },
      },
      {
        name: 'full install',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'submariner-operator',
              name: 'submariner-operator',
              images: ['quay.io/submariner/submariner-operator:0.21.0'],
            },
            {
              kind: 'DaemonSet',
              namespace: 'submariner-operator',
              name: 'submariner-gateway',
              images: ['quay.io/submariner/submariner-gateway:0.21.0'],
            },
            {
              kind: 'DaemonSet',
              namespace: 'submariner-operator',
              name: 'submariner-routeagent',
              images: ['quay.io/submariner/submariner-route-agent:0.21.0'],
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
        name: 'unrelated operator',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'ops',
              name: 'some-operator',
              images: ['example/op:1'],
            },
          ],
        },
      },
    ],
  },
};
