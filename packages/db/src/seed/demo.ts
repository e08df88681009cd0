import { hashPassword } from '../credentials.js';
import type { Database } from '../database.js';

export const DEMO_ORG_SLUG = 'demo';
export const DEMO_EMAIL = 'demo@plumbline.local';

export interface DemoSeedResult {
  organizationId: string;
  email: string;
  createdOrganization: boolean;
  /** Plain scanner token, only when this run created it (it is never stored in clear). */
  scannerToken: string | null;
}

/** Idempotent: running it again keeps the existing demo data and adds nothing twice. */
export async function seedDemo(db: Database, opts: { password: string }): Promise<DemoSeedResult> {
  let org = await db.organizations.findBySlug(DEMO_ORG_SLUG);
  const createdOrganization = !org;
  if (!org) org = await db.organizations.create({ name: 'Demo Org', slug: DEMO_ORG_SLUG });

  let user = await db.users.findByEmail(DEMO_EMAIL);
  if (!user) {
    user = await db.users.create({
      email: DEMO_EMAIL,
      name: 'Demo User',
      passwordHash: await hashPassword(opts.password),
    });
  }
  await db.memberships.add(org.id, user.id, 'owner');
  // Nobody can open a mail sent to the demo address: it counts as confirmed.
  await db.users.markEmailVerified(user.id);

  let scannerToken: string | null = null;
  const tokens = await db.scannerTokens.list(org.id);
  if (!tokens.some((t) => t.name === 'demo-scanner' && !t.revokedAt)) {
    const created = await db.scannerTokens.create(org.id, {
      name: 'demo-scanner',
      createdById: user.id,
    });
    scannerToken = created.token;
    await db.audit.record({
      organizationId: org.id,
      actorType: 'system',
      action: 'scanner_token.create',
      targetType: 'scanner_token',
      targetId: created.record.id,
      metadata: { via: 'demo seed' },
    });
  }
  return { organizationId: org.id, email: DEMO_EMAIL, createdOrganization, scannerToken };
}
