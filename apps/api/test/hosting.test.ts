/**
 * Hosting on Kubernetes (infra/helm/plumbline, infra/deploy/plumbline, the Dockerfiles).
 * Helm and a container engine are not installed where this runs, so:
 * - every template is valid YAML once template expressions are placeholders (as for the scanner
 *   chart), and every value a template reads exists in values.yaml, with a comment, and in the
 *   chart's README;
 * - the chart is rendered by test/helm-template.ts (the subset of Helm's template language it
 *   uses, checked against `helm template`), and the rendered objects are checked: probes,
 *   security contexts, env wiring against packages/config, the migration hook, autoscaling;
 * - the plain manifests equal the chart's default rendering;
 * - the Dockerfiles copy files that exist, run as the chart's non-root user, and start the
 *   entry points the chart's probes and Job use.
 */
import { ENV_VARS, loadEnv, type AppName, type EnvVarName } from '@plumbline/config';
import { JOB_NAMES } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { createJobHandlers, queueNameOf } from '@plumbline/jobs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, parse, parseAllDocuments, parseDocument, type YAMLMap } from 'yaml';
import { HelmTemplate, type Value } from './helm-template.js';

const ROOT = resolve(__dirname, '../../..');
const CHART = join(ROOT, 'infra/helm/plumbline');
const PLAIN = join(ROOT, 'infra/deploy/plumbline');
const RELEASE = { releaseName: 'plumbline', namespace: 'plumbline' };

type Obj = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> } & Record<
    string,
    unknown
  >;
};
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env: EnvVar[];
  securityContext: Record<string, unknown>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  ports?: { name: string; containerPort: number }[];
}
interface PodSpec {
  containers: Container[];
  securityContext: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
}

const helm = new HelmTemplate(CHART);
const values = helm.values as Record<string, Value>;
const render = (overrides: Record<string, Value> = {}): Obj[] =>
  helm.objects({ ...RELEASE, values: overrides }).map((o) => o.doc as Obj);
const byKind = (objs: Obj[], kind: string, name?: string): Obj => {
  const found = objs.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  expect([kind, name, found.length]).toEqual([kind, name, 1]);
  return found[0]!;
};
const podOf = (o: Obj): PodSpec =>
  (o.spec as { template: { spec: PodSpec } }).template.spec as PodSpec;
const containerOf = (o: Obj): Container => podOf(o).containers[0]!;
const readText = (p: string) => readFileSync(join(ROOT, p), 'utf8');

function valueAt(path: string): Value | undefined {
  let cur: Value | undefined = values;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Replace Go template actions so the rest can be parsed as YAML (as for the scanner chart). */
function placeholders(template: string): string {
  return template
    .split('\n')
    .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{-?[^}]*-?\}\}/g, 'PLACEHOLDER'))
    .join('\n');
}

/** `.Values.a.b` references in the templates, with `$x := .Values.a` aliases expanded. */
function valueReferences(): Set<string> {
  const refs = new Set<string>();
  for (const f of readdirSync(join(CHART, 'templates'))) {
    let text = readFileSync(join(CHART, 'templates', f), 'utf8');
    for (;;) {
      const m = /\{\{-?\s*(\$\w+)\s*:?=\s*(\.Values[\w.]*|\$\w+[\w.]*)\s*-?\}\}/.exec(text);
      if (!m) break;
      text = text.replace(m[0], '').split(`${m[1]}.`).join(`${m[2]}.`);
      text = text.replace(new RegExp(`\\${m[1]}(?![\\w.])`, 'g'), m[2]!);
    }
    for (const m of text.matchAll(/\.Values\.([\w.]*\w)/g)) refs.add(m[1]!);
  }
  return refs;
}

/** Dotted paths of values.yaml keys without a comment (before the key, or at the line's end). */
function undocumentedValues(): string[] {
  const doc = parseDocument(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
  const missing: string[] = [];
  const walk = (map: YAMLMap, path: string[]) => {
    map.items.forEach((pair, i) => {
      const key = [...path, String((pair.key as { value: unknown }).value)];
      const k = pair.key as { commentBefore?: string | null; comment?: string | null };
      const v = pair.value as { comment?: string | null } | null;
      const comment = k.commentBefore || (i === 0 ? map.commentBefore : '') || v?.comment || '';
      if (!comment.trim()) missing.push(key.join('.'));
      if (isMap(pair.value)) walk(pair.value, key);
    });
  };
  walk(doc.contents as YAMLMap, []);
  return missing;
}

describe('infra/helm/plumbline chart files', () => {
  const templates = readdirSync(join(CHART, 'templates')).filter((f) => f.endsWith('.yaml'));

  it('Chart.yaml, images and app versions agree', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, string>;
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'plumbline', type: 'application' });
    const apiVersion = (JSON.parse(readText('apps/api/package.json')) as { version: string })
      .version;
    const workerVersion = (JSON.parse(readText('apps/worker/package.json')) as { version: string })
      .version;
    expect([chart.appVersion, valueAt('api.image.tag'), valueAt('worker.image.tag')]).toEqual([
      apiVersion,
      apiVersion,
      workerVersion,
    ]);
  });

  it.each(templates)('%s is valid YAML once template expressions are placeholders', (file) => {
    const text = placeholders(readFileSync(join(CHART, 'templates', file), 'utf8'));
    for (const d of parseAllDocuments(text)) {
      expect(d.errors.map((e) => e.message)).toEqual([]);
      const v = d.toJS() as Obj | null;
      if (v) expect([typeof v.apiVersion, typeof v.kind]).toEqual(['string', 'string']);
    }
  });

  it('every value a template reads exists, has a comment in values.yaml and a line in README.md', () => {
    const refs = valueReferences();
    expect(refs.size).toBeGreaterThan(60);
    const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
    for (const ref of refs) {
      expect([ref, valueAt(ref) === undefined]).toEqual([ref, false]);
      // The README names each value read as a whole (not the maps read key by key).
      if ([...refs].some((r) => r.startsWith(`${ref}.`))) continue;
      expect([ref, readme.includes(`\`${ref}\``)]).toEqual([ref, true]);
    }
    expect(undocumentedValues()).toEqual([]);
  });

  it('values.yaml holds no value that no template reads', () => {
    const refs = [...valueReferences()];
    const unused: string[] = [];
    const walk = (v: Value, path: string) => {
      const used = refs.some(
        (r) => r === path || r.startsWith(`${path}.`) || path.startsWith(`${r}.`),
      );
      if (!used) unused.push(path);
      else if (v && typeof v === 'object' && !Array.isArray(v) && !refs.includes(path))
        for (const [k, child] of Object.entries(v)) walk(child, `${path}.${k}`);
    };
    for (const [k, v] of Object.entries(values)) walk(v, k);
    expect(unused).toEqual([]);
  });
});

describe('the chart rendered with its defaults', () => {
  const objs = render();
  const api = byKind(objs, 'Deployment', 'plumbline-api');
  const worker = byKind(objs, 'Deployment', 'plumbline-worker');
  const job = byKind(objs, 'Job', 'plumbline-migrate');

  it('makes the API and worker Deployments, the Service, PDBs, a ServiceAccount and the migration Job, and no Secret', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/plumbline-api',
      'Deployment/plumbline-worker',
      'Job/plumbline-migrate',
      'PodDisruptionBudget/plumbline-api',
      'PodDisruptionBudget/plumbline-worker',
      'Service/plumbline-api',
      'ServiceAccount/plumbline',
    ]);
    for (const o of objs) expect(o.metadata.namespace).toBe('plumbline');
  });

  it('API probes: startup and liveness GET /healthz, readiness GET /readyz, on the named port', () => {
    const c = containerOf(api);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    // The routes exist in the health controller.
    const controller = readText('apps/api/src/health/health.controller.ts');
    expect(controller).toContain("@Get('healthz')");
    expect(controller).toContain("@Get('readyz')");
  });

  it("worker probes run the worker's --healthcheck, which main.ts implements", () => {
    const c = containerOf(worker);
    const exec = { exec: { command: ['node', '/app/apps/worker/dist/main.js', '--healthcheck'] } };
    expect(c.startupProbe).toMatchObject(exec);
    expect(c.livenessProbe).toMatchObject(exec);
    // No HTTP but the optional metrics listener (GET /metrics only).
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: valueAt('worker.metricsPort') }]);
    expect(readText('apps/worker/src/main.ts')).toContain("process.argv.includes('--healthcheck')");
    expect(JSON.parse(readText('apps/worker/package.json'))).toMatchObject({
      main: 'dist/main.js',
    });
  });

  it('every pod: non-root, RuntimeDefault seccomp, read-only root, no capabilities, no token, requests and limits', () => {
    for (const o of [api, worker, job]) {
      const pod = podOf(o);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext.runAsUser).toBe(65532);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources).toMatchObject({
          requests: { cpu: expect.any(String), memory: expect.any(String) },
          limits: { cpu: expect.any(String), memory: expect.any(String) },
        });
      }
    }
    expect(byKind(objs, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(podOf(api).serviceAccountName).toBe('plumbline');
    expect(podOf(worker).serviceAccountName).toBe('plumbline');
  });

  it('the migration Job is a pre-install/pre-upgrade hook running packages/db migrate deploy from the API image', () => {
    expect(job.metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-weight': '0',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const c = containerOf(job);
    expect(c.image).toBe(containerOf(api).image);
    expect(c.args).toEqual(['/app/packages/db/dist/cli/migrate.js', 'deploy']);
    // The same command as `npm run migrate -w @plumbline/db`.
    expect(
      (JSON.parse(readText('packages/db/package.json')) as { scripts: Record<string, string> })
        .scripts.migrate,
    ).toBe('node dist/cli/migrate.js deploy');
    expect(existsSync(join(ROOT, 'packages/db/src/cli/migrate.ts'))).toBe(true);
    expect(
      (job.spec as { template: { spec: { restartPolicy: string } } }).template.spec,
    ).toMatchObject({ restartPolicy: 'Never' });
  });

  // Variables an app reads but the chart deliberately does not set, and why.
  const NOT_SET: Partial<Record<AppName, Partial<Record<EnvVarName, string>>>> = {
    api: {
      WORKER_CONCURRENCY: 'in-process job mode only; with REDIS_URL the API runs no processors',
      WORKER_JOB_LOCK_MS: 'in-process job mode only; with REDIS_URL the API runs no processors',
      REPORT_DIST_DIR: 'in-process job mode only: with REDIS_URL the worker prints PDF reports',
      CHROMIUM_PATH: 'in-process job mode only: with REDIS_URL the worker prints PDF reports',
      REPORT_RENDER_TIMEOUT_MS: 'in-process job mode only: with REDIS_URL the worker prints PDFs',
    },
  };
  const NODE_VARS = ['NODE_OPTIONS'];

  it.each([
    ['api', 'plumbline-api'],
    ['worker', 'plumbline-worker'],
    ['migrate', 'plumbline-migrate'],
  ] as const)(
    '%s: sets every variable packages/config lists for it, secrets from Secret references only, and the defaults load',
    (app, name) => {
      const o = objs.find((x) => x.metadata.name === name)!;
      const env = containerOf(o).env;
      const names = env.map((e) => e.name);
      expect(new Set(names).size).toBe(names.length);
      const expected = (Object.keys(ENV_VARS) as EnvVarName[]).filter(
        (v) => (ENV_VARS[v].apps as readonly AppName[]).includes(app) && !NOT_SET[app]?.[v],
      );
      expect(names.filter((n) => !NODE_VARS.includes(n)).sort()).toEqual(expected.sort());
      for (const e of env) {
        const secret = (ENV_VARS as Record<string, { secret?: boolean }>)[e.name]?.secret === true;
        if (secret) {
          expect([e.name, e.value]).toEqual([e.name, undefined]);
          expect(e.valueFrom?.secretKeyRef?.name).toEqual(expect.any(String));
        } else expect([e.name, typeof e.value]).toEqual([e.name, 'string']);
      }
      // The chart's values are valid configuration for the app.
      const raw: Record<string, string> = {
        DATABASE_URL: 'postgresql://plumbline:secret@postgres:5432/plumbline',
        REDIS_URL: 'redis://:secret@redis:6379/0',
        METRICS_TOKEN: 'a-metrics-token-from-its-secret',
      };
      for (const e of env) if (e.value !== undefined) raw[e.name] = e.value;
      expect(() => loadEnv(app, raw)).not.toThrow();
    },
  );

  it('API env: listens on all interfaces and serves the web app from where the image puts it', () => {
    const env = Object.fromEntries(containerOf(api).env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      API_HOST: '0.0.0.0',
      API_PORT: '3000',
      WEB_DIST_DIR: '/app/apps/web/dist',
      NODE_ENV: 'production',
    });
    const secrets = containerOf(api)
      .env.filter((e) => e.valueFrom)
      .map((e) => [e.name, e.valueFrom!.secretKeyRef]);
    expect(secrets).toEqual([
      [
        'PLUMBLINE_ENCRYPTION_KEY',
        { name: 'plumbline-encryption', key: 'keyring', optional: true },
      ],
      ['SMTP_URL', { name: 'plumbline-smtp', key: 'url', optional: true }],
      ['METRICS_TOKEN', { name: 'plumbline-metrics', key: 'token' }],
      ['DATABASE_URL', { name: 'plumbline-database', key: 'url' }],
      ['REDIS_URL', { name: 'plumbline-redis', key: 'url' }],
    ]);
    // Behind the Ingress: forwarded headers believed from in-cluster (private) addresses only.
    expect(env.TRUST_PROXY).toBe('10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8');
    const raw = {
      DATABASE_URL: 'postgresql://plumbline:secret@postgres:5432/plumbline',
      NODE_ENV: env.NODE_ENV,
      TRUST_PROXY: env.TRUST_PROXY,
    };
    expect(
      loadEnv('api', { ...raw, METRICS_TOKEN: 'a-metrics-token-from-its-secret' }).TRUST_PROXY,
    ).toHaveLength(4);
    // Production without the metrics token does not start: the chart always wires it.
    expect(() => loadEnv('api', raw)).toThrow(/METRICS_TOKEN is required/);
  });

  it('the worker has time to finish jobs in flight: grace period above the in-app wait', () => {
    const graceMs = (o: Obj) =>
      Number(containerOf(o).env.find((e) => e.name === 'SHUTDOWN_GRACE_MS')!.value);
    // The worker waits SHUTDOWN_GRACE_MS for jobs in flight (plus at most 5 s if Redis hangs,
    // apps/worker/src/worker.service.ts), then closes its connections.
    expect(graceMs(worker)).toBe(valueAt('worker.shutdownGraceMs'));
    expect(podOf(worker).terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(
      graceMs(worker) + 15_000,
    );
    // The API sleeps preStopSleepSeconds, then waits up to SHUTDOWN_GRACE_MS for requests.
    expect(podOf(api).terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
      (valueAt('api.preStopSleepSeconds') as number) * 1000 + graceMs(api),
    );
  });

  it('rolling updates never go below the replica count, and selectors match the pods', () => {
    for (const d of [api, worker]) {
      const spec = d.spec as {
        replicas: number;
        strategy: { rollingUpdate: { maxUnavailable: number; maxSurge: number } };
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
      expect(spec.replicas).toBe(2);
      expect(spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    }
    const podLabels = (d: Obj) =>
      (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
        .labels;
    const svc = byKind(objs, 'Service').spec as {
      selector: Record<string, string>;
      ports: { targetPort: string }[];
    };
    expect(podLabels(api)).toMatchObject(svc.selector);
    expect(svc.ports[0]!.targetPort).toBe('http');
    for (const [pdbName, d] of [
      ['plumbline-api', api],
      ['plumbline-worker', worker],
    ] as const) {
      const pdb = byKind(objs, 'PodDisruptionBudget', pdbName).spec as {
        maxUnavailable: number;
        selector: { matchLabels: Record<string, string> };
      };
      expect(podLabels(d)).toMatchObject(pdb.selector.matchLabels);
      // One pod at a time: some keep serving, and a single replica never blocks a drain.
      expect(pdb).toEqual({ maxUnavailable: 1, selector: pdb.selector });
    }
    // The worker's pods do not match the API's Service.
    expect(podLabels(worker)).not.toMatchObject(svc.selector);
  });
});

describe('the chart with options', () => {
  // The handlers only keep the database for later; building them touches nothing.
  const handledQueues = createJobHandlers({} as unknown as Database).map((h) =>
    queueNameOf(h.name),
  );

  it('keda: one redis list-length trigger per BullMQ queue on <prefix>:<queue>:wait, no fixed replicas', () => {
    const objs = render({
      config: { queuePrefix: 'prod' },
      worker: { autoscaling: { mode: 'keda', keda: { redis: { address: 'redis:6379' } } } },
    });
    const so = byKind(objs, 'ScaledObject');
    const spec = so.spec as {
      scaleTargetRef: { name: string };
      minReplicaCount: number;
      triggers: { type: string; metadata: Record<string, string>; authenticationRef?: unknown }[];
    };
    expect(spec.scaleTargetRef.name).toBe('plumbline-worker');
    expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(spec.triggers.map((t) => t.metadata.listName)).toEqual(
      handledQueues.map((q) => `prod:${q}:wait`),
    );
    for (const t of spec.triggers) {
      expect(t.type).toBe('redis');
      expect(t.metadata).toMatchObject({ address: 'redis:6379', listLength: '4' });
      expect(t.authenticationRef).toBeUndefined();
    }
    expect(objs.some((o) => o.kind === 'TriggerAuthentication')).toBe(false);
    const deployment = byKind(objs, 'Deployment', 'plumbline-worker').spec as Record<
      string,
      unknown
    >;
    expect('replicas' in deployment).toBe(false);
    // The default queue list is exactly the queues the worker consumes (its handlers), each a
    // known job's queue: a watched queue without a consumer would pin the worker at maxReplicas.
    expect(valueAt('worker.autoscaling.keda.queues')).toEqual(handledQueues);
    for (const q of handledQueues) expect(JOB_NAMES.map(queueNameOf)).toContain(q);
  });

  it('keda with a Redis password: a TriggerAuthentication from the Secret, referenced by every trigger', () => {
    const objs = render({
      worker: {
        autoscaling: {
          mode: 'keda',
          keda: { redis: { address: 'redis:6379', passwordSecret: { name: 'redis-auth' } } },
        },
      },
    });
    const auth = byKind(objs, 'TriggerAuthentication');
    expect(auth.spec).toEqual({
      secretTargetRef: [{ parameter: 'password', name: 'redis-auth', key: 'password' }],
    });
    const triggers = (byKind(objs, 'ScaledObject').spec as { triggers: Record<string, unknown>[] })
      .triggers;
    for (const t of triggers) expect(t.authenticationRef).toEqual({ name: auth.metadata.name });
  });

  it('hpa: CPU autoscaling of the worker Deployment', () => {
    const objs = render({ worker: { autoscaling: { mode: 'hpa' } } });
    expect(byKind(objs, 'HorizontalPodAutoscaler').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'plumbline-worker' },
      minReplicas: 2,
      maxReplicas: 10,
    });
    expect(objs.some((o) => o.kind === 'ScaledObject')).toBe(false);
  });

  it('refuses an unknown mode, fewer than one worker, and keda without a Redis address', () => {
    expect(() => render({ worker: { autoscaling: { mode: 'vpa' } } })).toThrow(/mode must be/);
    expect(() => render({ worker: { autoscaling: { mode: 'hpa', minReplicas: 0 } } })).toThrow(
      /at least 1/,
    );
    expect(() => render({ worker: { autoscaling: { mode: 'keda' } } })).toThrow(/address/);
  });

  it('ingress: one host to the API Service, with TLS when a Secret is named', () => {
    const objs = render({
      api: { ingress: { enabled: true, host: 'pl.example.com', tlsSecretName: 'pl-tls' } },
    });
    const ing = byKind(objs, 'Ingress').spec as {
      tls: { hosts: string[]; secretName: string }[];
      rules: {
        host: string;
        http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
      }[];
    };
    expect(ing.tls).toEqual([{ hosts: ['pl.example.com'], secretName: 'pl-tls' }]);
    expect(ing.rules[0]!.host).toBe('pl.example.com');
    expect(ing.rules[0]!.http.paths[0]!.backend.service).toEqual({
      name: byKind(objs, 'Service').metadata.name,
      port: { name: 'http' },
    });
  });

  it('extra Secret variables reach every pod; migrations may use their own database Secret', () => {
    const objs = render({
      extraSecretEnv: [{ name: 'ENCRYPTION_KEY', secretName: 'plumbline-app', key: 'enc' }],
      migrations: { urlSecret: { name: 'plumbline-migrator', key: 'url' } },
    });
    for (const o of objs.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      const env = containerOf(o).env;
      expect(env.find((e) => e.name === 'ENCRYPTION_KEY')?.valueFrom).toEqual({
        secretKeyRef: { name: 'plumbline-app', key: 'enc' },
      });
      const db = env.find((e) => e.name === 'DATABASE_URL')!.valueFrom!.secretKeyRef!.name;
      expect([o.kind, db]).toEqual([
        o.kind,
        o.kind === 'Job' ? 'plumbline-migrator' : 'plumbline-database',
      ]);
    }
  });

  it('a release named otherwise prefixes every name; migrations and PDBs can be turned off', () => {
    const objs = helm
      .objects({
        releaseName: 'prod',
        namespace: 'saas',
        values: { migrations: { enabled: false }, api: { pdb: { enabled: false } } },
      })
      .map((o) => o.doc as Obj);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/prod-plumbline-api',
      'Deployment/prod-plumbline-worker',
      'PodDisruptionBudget/prod-plumbline-worker',
      'Service/prod-plumbline-api',
      'ServiceAccount/prod-plumbline',
    ]);
  });
});

describe('infra/deploy/plumbline plain manifests', () => {
  const files = readdirSync(PLAIN).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  const plain = (f: string): Obj[] =>
    parseAllDocuments(readFileSync(join(PLAIN, f), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`${f}: ${d.errors[0]!.message}`);
      return d.toJS() as Obj;
    });

  it('parse, and kustomization lists every file but the migration Job', () => {
    const k = parse(readFileSync(join(PLAIN, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    expect(k.resources.sort()).toEqual(files.filter((f) => f !== 'migrate-job.yaml').sort());
    for (const f of files)
      for (const d of plain(f))
        expect([f, typeof d.apiVersion, typeof d.kind]).toEqual([f, 'string', 'string']);
    expect(files.flatMap(plain).filter((d) => d.kind === 'Secret')).toEqual([]);
  });

  it("equal the chart's default rendering, file by file (less Helm's own labels and the hook annotations)", () => {
    const rendered = helm.objects(RELEASE);
    const strip = (o: Obj): Obj => {
      const copy = JSON.parse(JSON.stringify(o)) as Obj;
      const clean = (m: { labels?: Record<string, string>; annotations?: unknown }) => {
        if (m.labels) {
          delete m.labels['helm.sh/chart'];
          delete m.labels['app.kubernetes.io/managed-by'];
        }
        if (m.annotations && Object.keys(m.annotations).every((a) => a.startsWith('helm.sh/hook')))
          delete m.annotations;
      };
      clean(copy.metadata);
      const template = (copy.spec as { template?: { metadata: Record<string, never> } } | undefined)
        ?.template;
      if (template) clean(template.metadata);
      return copy;
    };
    const templateFiles = [...new Set(rendered.map((r) => r.file))].sort();
    expect(templateFiles).toEqual(files.filter((f) => f !== 'namespace.yaml').sort());
    for (const f of templateFiles) {
      const chartDocs = rendered.filter((r) => r.file === f).map((r) => strip(r.doc as Obj));
      expect([f, plain(f)]).toEqual([f, chartDocs]);
    }
    // The namespace enforces Pod Security "restricted", which every pod above satisfies.
    expect(plain('namespace.yaml')[0]!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });
});

interface Instruction {
  op: string;
  args: string;
}
/** Dockerfile instructions by stage (line continuations joined, comments dropped). */
function dockerfile(path: string): { from: string; name?: string; steps: Instruction[] }[] {
  const text = readText(path)
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: { from: string; name?: string; steps: Instruction[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, op, args] = m as unknown as [string, string, string];
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: f[1]!, name: f[2], steps: [] });
    } else stages.at(-1)!.steps.push({ op, args: args.trim() });
  }
  return stages;
}

describe('Dockerfiles', () => {
  const turbo = (JSON.parse(readText('package.json')) as { devDependencies: { turbo: string } })
    .devDependencies.turbo;

  it.each([
    ['apps/api/Dockerfile', '@plumbline/api'],
    ['apps/worker/Dockerfile', '@plumbline/worker'],
  ])('%s copies files that exist, pins the repo turbo, and runs as the chart user', (path, pkg) => {
    const stages = dockerfile(path);
    expect(stages.map((s) => s.name)).toEqual(['prune', 'build', undefined]);
    const names = new Set(stages.map((s) => s.name));
    for (const stage of stages) {
      for (const s of stage.steps.filter((x) => x.op === 'COPY')) {
        const parts = s.args.split(/\s+/);
        const from = parts.find((p) => p.startsWith('--from='))?.slice(7);
        const [src] = parts.filter((p) => !p.startsWith('--'));
        if (!from) {
          // From the build context: the repository root.
          expect([path, src, existsSync(join(ROOT, src!))]).toEqual([path, src, true]);
          continue;
        }
        expect(names.has(from)).toBe(true);
        if (from === 'prune') {
          expect(src).toMatch(/^\/src\/out\/(json|full)\/$/);
          continue;
        }
        // From the build stage: a repository path, or what the build makes in one.
        const rel = src!.replace(/^\/src\//, '');
        const made = /^(node_modules|(apps|packages)\/[\w-]+\/dist)$/.test(rel);
        expect([path, rel, existsSync(join(ROOT, rel)) || made]).toEqual([path, rel, true]);
        if (made && rel !== 'node_modules')
          expect(existsSync(join(ROOT, rel.replace(/\/dist$/, '/package.json')))).toBe(true);
      }
    }
    const prune = stages[0]!.steps.find((s) => s.op === 'RUN')!.args;
    expect(prune).toContain(`turbo@${turbo} prune ${pkg} @plumbline/web --docker`);
    const build = stages[1]!.steps.map((s) => s.args).join('\n');
    expect(build).toContain(`--filter=${pkg}...`);
    expect(build).toContain('--filter=@plumbline/web...');
    // Node.js 20.19+ (package.json engines).
    for (const s of stages.filter((x) => x.from.startsWith('node:')))
      expect(s.from).toMatch(/^node:20\.(19|[2-9]\d)-bookworm-slim$/);
    // The runtime runs as the non-root user of the chart's pod security context.
    const runtime = stages[2]!;
    const user = runtime.steps.filter((s) => s.op === 'USER').at(-1)!.args;
    const uid = Number(user.split(':')[0]);
    expect(uid).toBe(valueAt('podSecurityContext.runAsUser'));
    expect(uid).toBeGreaterThan(0);
    const lastUser = runtime.steps.map((s) => s.op).lastIndexOf('USER');
    expect(runtime.steps.slice(lastUser).some((s) => s.op === 'RUN')).toBe(false);
  });

  it('both builds copy the root files that turbo prune leaves out and the build reads', () => {
    // Every tsconfig extends a root file; packages/db generates the client from prisma/.
    const rootFiles = new Set<string>(['prisma/']);
    for (const dir of ['apps', 'packages'])
      for (const ws of readdirSync(join(ROOT, dir)))
        for (const f of ['tsconfig.json', 'tsconfig.build.json']) {
          const p = join(ROOT, dir, ws, f);
          if (!existsSync(p)) continue;
          const ext = (JSON.parse(readFileSync(p, 'utf8')) as { extends?: string }).extends;
          if (ext?.startsWith('../../')) rootFiles.add(ext.slice(6));
        }
    expect([...rootFiles].sort()).toEqual(['prisma/', 'tsconfig.base.json']);
    for (const path of ['apps/api/Dockerfile', 'apps/worker/Dockerfile']) {
      const build = dockerfile(path)[1]!.steps.filter((s) => s.op === 'COPY');
      const copied = build.map((s) => s.args.split(/\s+/)[0]);
      for (const f of rootFiles) expect([path, copied.includes(f)]).toEqual([path, true]);
    }
  });

  it('the API image serves the built web app from WEB_DIST_DIR and holds the migrations the Job runs', () => {
    const runtime = dockerfile('apps/api/Dockerfile')[2]!;
    const text = runtime.steps.map((s) => `${s.op} ${s.args}`).join('\n');
    expect(text).toMatch(/ENV [^\n]*WEB_DIST_DIR=\/app\/apps\/web\/dist/);
    expect(valueAt('api.webDistDir')).toBe('/app/apps/web/dist');
    expect(text).toContain('COPY --from=build /src/apps/web/dist ./apps/web/dist');
    expect(text).toContain('COPY --from=build /src/packages ./packages');
    // The migrator reads <packages/db/dist>/../../../prisma/migrations = /app/prisma/migrations.
    expect(readText('packages/db/src/migrator.ts')).toContain(
      "resolve(__dirname, '../../../prisma/migrations')",
    );
    expect(text).toContain('COPY --from=build /src/prisma/migrations ./prisma/migrations');
    expect(text).toContain('ENTRYPOINT ["/nodejs/bin/node"]');
    expect(text).toContain('CMD ["/app/apps/api/dist/main.js"]');
    expect(JSON.parse(readText('apps/api/package.json'))).toMatchObject({ main: 'dist/main.js' });
  });

  it('the worker image has Chromium and fonts for PDF reports, and node on PATH for the exec probe', () => {
    const runtime = dockerfile('apps/worker/Dockerfile')[2]!;
    const text = runtime.steps.map((s) => `${s.op} ${s.args}`).join('\n');
    expect(runtime.from).toMatch(/^node:/);
    for (const p of ['chromium', 'fonts-dejavu-core', 'fonts-liberation', 'tini'])
      expect(text).toMatch(new RegExp(`apt-get install [^\\n]*\\b${p}\\b`));
    expect(text).toMatch(/ENV [^\n]*CHROMIUM_PATH=\/usr\/bin\/chromium/);
    // The report page the renderer prints is a build artifact of the web app, in the image.
    expect(text).toMatch(/ENV [^\n]*REPORT_DIST_DIR=\/app\/apps\/web\/dist/);
    expect(text).toContain('COPY --from=build /src/apps/web/dist ./apps/web/dist');
    expect(valueAt('worker.reports.distDir')).toBe('/app/apps/web/dist');
    expect(valueAt('worker.reports.chromiumPath')).toBe('/usr/bin/chromium');
    expect(readText('apps/web/vite.config.ts')).toContain("'./report.html'");
    expect(text).toContain('COPY --from=build /src/apps/worker ./apps/worker');
    expect(text).toContain('CMD ["/app/apps/worker/dist/main.js"]');
  });

  it('.dockerignore keeps host builds, dependencies and local state out of the context', () => {
    const ignore = readText('.dockerignore').split('\n');
    for (const p of [
      '.git',
      '**/node_modules',
      '**/dist',
      '.plumbline',
      'packages/db/src/generated',
    ])
      expect(ignore).toContain(p);
  });
});
