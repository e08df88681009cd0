// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';
import type { Workload } from '@plumbline/contracts';

const CNI = { kind: ['DaemonSet'] as const, name: /^linkerd-cni$/ };
const VIZ = {
  kind: ['Deployment'] as const,
  namespace: /^linkerd-viz$/,
  name: /^(metrics-api|tap|tap-injector|web|prometheus)$/,
};
const meshed = (w: Workload) =>
  w.podAnnotations['linkerd.io/inject'] === 'enabled' ||
  (w.containers.filter((c) => !c.init).length > 1 &&
    w.containers.some((c) => !c.init && c.name === 'linkerd-proxy'));

export const linkerdRule: ComponentRule = {
  id: 'linkerd',
  name: 'Linkerd',
  category: 'service-mesh',
  runtime: [
    { kind: ['Deployment'], name: /^linkerd-(destination|identity|proxy-injector)$/ },
    { kind: ['Deployment'], image: /cr\.l5d\.io\/linkerd\/controller/ },
    // Extensions installed from the same bundle: the CNI plugin and the viz dashboard.
    { ...CNI, kind: ['DaemonSet'] },
    { kind: ['DaemonSet'], image: /cr\.l5d\.io\/linkerd\/cni-plugin/ },
    { ...VIZ, kind: ['Deployment'] },
    { image: /cr\.l5d\.io\/linkerd\/(metrics-api|tap|web):/ },
    // Workloads running in the mesh: an injected linkerd-proxy sidecar.
    { sidecar: /^linkerd-proxy$/ },
  ],
  // Mesh policy in use (Server, AuthorizationPolicy, MeshTLSAuthentication, HTTPRoute...).
  objects: [{ list: 'customResources', group: /^policy\.linkerd\.io$/ }],
  api: [{ crdGroup: /^(policy\.|workload\.)?linkerd\.io$/ }, { webhook: /^linkerd-/ }],
  versionFromImage: /cr\.l5d\.io\/linkerd\/(?:controller|proxy):(?:edge-|stable-)?(\d[\w.-]*)/,
  attributes: (ctx) => {
    const ws = ctx.snapshot.workloads;
    const has = (f: (w: Workload) => boolean) => ws.some(f);
    const extensions = [
      has(
        (w) =>
          w.kind === 'DaemonSet' &&
          (CNI.name.test(w.name) || w.containers.some((c) => /linkerd\/cni-plugin/.test(c.image))),
      )
        ? 'cni'
        : null,
      has((w) => VIZ.namespace.test(w.namespace) && VIZ.name.test(w.name)) ? 'viz' : null,
    ].filter((x): x is string => x !== null);
    return {
      meshedWorkloads: ws.filter(meshed).length,
      policies: ctx.snapshot.config.customResources.filter((o) =>
        /^policy\.linkerd\.io\//.test(o.apiVersion),
      ).length,
      extensions: extensions.join(',') || 'none',
    };
  },
  fixtures: {
    pass: [
      {
        name: 'linkerd control plane',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'linkerd',
              name: 'linkerd-destination',
              images: ['cr.l5d.io/linkerd/controller:edge-25.1.1'],
            },
          ],
        },
        expect: {
          version: '25.1.1',
          attributes: { meshedWorkloads: 0, extensions: 'none' },
        },
      },
      {
        name: 'an app with an injected linkerd-proxy sidecar (control plane not in the input)',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'emojivoto',
              name: 'web',
              images: [
                'docker.l5d.io/buoyantio/emojivoto-web:v11',
                'cr.l5d.io/linkerd/proxy:edge-25.1.1',
              ],
              containers: ['web-svc', 'linkerd-proxy'],
            },
          ],
        },
        expect: { status: 'installed', attributes: { meshedWorkloads: 1 } },
      },
      {
        name: 'the viz and CNI extensions',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'linkerd-viz',
              name: 'metrics-api',
              images: ['cr.l5d.io/linkerd/metrics-api:edge-25.1.1'],
            },
            {
              kind: 'DaemonSet',
              namespace: 'linkerd-cni',
              name: 'linkerd-cni',
              images: ['cr.l5d.io/linkerd/cni-plugin:v1.6.0'],
            },
          ],
        },
        expect: { status: 'installed', attributes: { extensions: 'cni,viz' } },
      },
    ],
    fail: [
      {
        name: 'an app named linkerd-demo',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'linkerd-demo',
              images: ['example/demo:1'],
            },
          ],
        },
      },
      {
        name: 'a lone container named linkerd-proxy is not an injected sidecar',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'proxy',
              images: ['example/proxy:1'],
              containers: ['linkerd-proxy'],
            },
          ],
        },
      },
    ],
  },
};
