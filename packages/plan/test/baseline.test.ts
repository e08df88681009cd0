import { baselineViolations } from '../src/index.js';
import { scenarioSnapshot } from './helpers.js';

// The Pod Security labels step names the workloads the baseline profile would refuse.

test('baseline violations: privileged, host namespaces, host ports, extra capabilities; look-alikes pass', () => {
  const base = scenarioSnapshot('psa', 40, 0);
  const t = base.workloads.find((w) => w.kind === 'Deployment' && !w.hostNetwork)!;
  const c = t.containers[0]!;
  const w = (name: string, patch: Partial<typeof t>, cpatch: Partial<typeof c> = {}) => ({
    ...t,
    namespace: 'app',
    name,
    owner: null,
    hostNetwork: false,
    hostPID: false,
    ...patch,
    containers: [{ ...c, ...cpatch }],
  });
  const sc = (x: Partial<typeof c.securityContext>) => ({
    securityContext: {
      ...c.securityContext,
      privileged: null,
      capabilitiesAdd: [],
      ...x,
    },
  });
  const snapshot = {
    ...base,
    workloads: [
      w('priv', {}, sc({ privileged: true })),
      w('hostnet', { hostNetwork: true }, sc({})),
      w('hostpid', { hostPID: true }, sc({})),
      w(
        'hostport',
        {},
        { ...sc({}), ports: [{ name: null, containerPort: 80, hostPort: 8080, protocol: 'TCP' }] },
      ),
      w('netadmin', {}, sc({ capabilitiesAdd: ['NET_ADMIN'] })),
      // Look-alikes the baseline allows:
      w('bind', {}, sc({ capabilitiesAdd: ['NET_BIND_SERVICE', 'CAP_CHOWN'] })),
      w('unprivileged', {}, sc({ privileged: false })),
      w(
        'hostport-zero',
        {},
        { ...sc({}), ports: [{ name: null, containerPort: 80, hostPort: 0, protocol: 'TCP' }] },
      ),
      // Another namespace is not checked.
      { ...w('elsewhere', {}, sc({ privileged: true })), namespace: 'other' },
    ],
  };
  const v = baselineViolations(snapshot, ['app']);
  expect(v.map((x) => x.split(' (')[0])).toEqual([
    'Deployment app/hostnet',
    'Deployment app/hostpid',
    'Deployment app/hostport',
    'Deployment app/netadmin',
    'Deployment app/priv',
  ]);
  expect(v.find((x) => x.includes('netadmin'))).toMatch(/adds NET_ADMIN/);
});
