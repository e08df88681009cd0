// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kubevirtRule: ComponentRule = {
  id: 'kubevirt',
  name: 'KubeVirt',
  category: 'virtualization',
  runtime: [{ image: /kubevirt\/virt-(operator|handler|controller|api|launcher)/ }],
  objects: [
    { list: 'virtualMachines' },
    { list: 'customResources', group: /^kubevirt\.io$/, kind: /^KubeVirt$/ },
  ],
  api: [{ crdGroup: /^(kubevirt\.io|pool\.kubevirt\.io|instancetype\.kubevirt\.io)$/ }],
  versionFromImage: /virt-(?:operator|handler|controller|api):v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'VMs without KubeVirt running: remnant',
        spec: {
          virtualMachines: [
            {
              namespace: 'vms',
              name: 'legacy-db',
            },
          ],
        },
        expect: {
          status: 'remnant',
        },
      },
      {
        name: 'virt-handler',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kubevirt',
              name: 'virt-handler',
              images: ['quay.io/kubevirt/virt-handler:v1.6.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.6.0',
        },
      },
    ],
    fail: [
      {
        name: 'a VM-named app',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'vm-manager',
              images: ['example/vm:1'],
            },
          ],
        },
      },
    ],
  },
};
