import type { INestApplication } from '@nestjs/common';
import { SnapshotReducer } from '@plumbline/collector';
import type { ClusterSnapshot } from '@plumbline/contracts';
import { generateCluster, type ScenarioOptions } from '@plumbline/scenarios';
import request from 'supertest';

/** Poll until `fn` returns something truthy (integration tests; never a timing assertion). */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  orgId: string;
}

/** The password the test helpers sign up with (12+ characters, not a common one). */
export const TEST_PASSWORD = 'correct horse battery';

/**
 * Sign up (202, the same answer for new and existing emails) and sign in with the same
 * credentials, as the web app does; the new account's first organisation is the new one.
 */
export async function signup(
  app: INestApplication,
  email: string,
  organizationName: string,
  password = TEST_PASSWORD,
): Promise<Session> {
  const created = await request(app.getHttpServer())
    .post('/v1/auth/signup')
    .send({ email, password, name: email.split('@')[0], organizationName });
  if (created.status !== 202)
    throw new Error(`signup failed: ${created.status} ${JSON.stringify(created.body)}`);
  const res = await request(app.getHttpServer()).post('/v1/auth/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`sign-in after signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    cookie: String(res.headers['set-cookie']![0]).split(';')[0]!,
    csrf: res.body.csrfToken,
    userId: res.body.user.id,
    orgId: res.body.organizationId,
  };
}

/** A realistic snapshot from the shared scenario generator, through the collector's reducer. */
export function generatedSnapshot(
  name: string,
  collectedAt: string,
  options: Omit<ScenarioOptions, 'seed'> & {
    seed?: string;
    /** Drop the agents and MCP server the generator always plants (namespace ai-agents). */
    withoutAgents?: boolean;
  } = {},
): ClusterSnapshot {
  const { withoutAgents, ...scenario } = options;
  const cluster = generateCluster({ seed: options.seed ?? name, ...scenario });
  const reducer = new SnapshotReducer({
    fingerprintKey: new Uint8Array(32),
    includeSecretMetadata: false,
  });
  const objects = withoutAgents
    ? cluster.objects.filter((o) => {
        if (o.metadata.namespace === 'ai-agents') return false;
        if (o.kind === 'Namespace' && o.metadata.name === 'ai-agents') return false;
        return !/mcp-server/.test(o.metadata.name);
      })
    : cluster.objects;
  objects.forEach((o, i) => reducer.add(o, `generated#${i}`));
  return reducer.finish({
    scanner: { name: 'plumbline-test', version: '0' },
    collectedAt,
    mode: 'offline',
    clusterName: name,
    declaredClusterId: name,
  });
}
