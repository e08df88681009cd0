import { Injectable } from '@nestjs/common';
import type { Role, Session, User } from '@plumbline/db';
import { createHash } from 'node:crypto';

/** How long a session or membership lookup is reused by this process. */
export const AUTH_CACHE_TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

type CachedSession = Session & { user: User };

interface Entry<V> {
  value: V;
  until: number;
}

/**
 * A brief per-process cache of the two lookups every authenticated request makes (session by
 * cookie, role by organisation and user), so a dashboard read is one query. Entries live
 * AUTH_CACHE_TTL_MS at most and are dropped at once on the changes made through this process
 * (sign-out, role change, organisation deletion); another API process sees such a change within
 * the TTL. A session is never used past its own expiry. Keys hold the cookie's SHA-256, never
 * the cookie.
 */
@Injectable()
export class AuthCache {
  private readonly sessions = new Map<string, Entry<CachedSession | null>>();
  private readonly roles = new Map<string, Entry<Role | null>>();
  /** Whether an organisation requires two-factor authentication of its members. */
  private readonly mfaRequirements = new Map<string, Entry<boolean>>();

  /** The clock (a test subclass moves it). */
  protected now(): number {
    return Date.now();
  }

  async session(
    cookie: string,
    load: () => Promise<CachedSession | null>,
  ): Promise<CachedSession | null> {
    const key = createHash('sha256').update(cookie).digest('hex');
    const hit = this.sessions.get(key);
    const t = this.now();
    if (hit && hit.until > t && (!hit.value || hit.value.expiresAt.getTime() > t)) return hit.value;
    const value = await load();
    this.put(this.sessions, key, value);
    return value;
  }

  async role(
    organizationId: string,
    userId: string,
    load: () => Promise<Role | null>,
  ): Promise<Role | null> {
    const key = `${organizationId}/${userId}`;
    const hit = this.roles.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const value = await load();
    this.put(this.roles, key, value);
    return value;
  }

  async mfaRequired(organizationId: string, load: () => Promise<boolean>): Promise<boolean> {
    const hit = this.mfaRequirements.get(organizationId);
    if (hit && hit.until > this.now()) return hit.value;
    const value = await load();
    this.put(this.mfaRequirements, organizationId, value);
    return value;
  }

  /** The organisation's two-factor requirement changed. */
  forgetMfaRequirement(organizationId: string): void {
    this.mfaRequirements.delete(organizationId);
  }

  /** Sign-out: the session is gone. */
  forgetSession(sessionId: string): void {
    for (const [k, e] of this.sessions) if (e.value?.id === sessionId) this.sessions.delete(k);
  }

  /** Every session and membership of a user (account deleted, password changed). */
  forgetUser(userId: string): void {
    for (const [k, e] of this.sessions) if (e.value?.userId === userId) this.sessions.delete(k);
    for (const k of this.roles.keys()) if (k.endsWith(`/${userId}`)) this.roles.delete(k);
  }

  /** A membership changed (role change, removal). */
  forgetMembership(organizationId: string, userId: string): void {
    this.roles.delete(`${organizationId}/${userId}`);
  }

  /** Every membership of an organisation (organisation deleted). */
  forgetOrganization(organizationId: string): void {
    for (const k of this.roles.keys()) if (k.startsWith(`${organizationId}/`)) this.roles.delete(k);
    this.mfaRequirements.delete(organizationId);
  }

  private put<V>(map: Map<string, Entry<V>>, key: string, value: V): void {
    map.delete(key);
    map.set(key, { value, until: this.now() + AUTH_CACHE_TTL_MS });
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
  }
}
