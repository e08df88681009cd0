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
  /** A background reload of this entry is under way. */
  refreshing?: boolean;
}

/**
 * A brief per-process cache of the lookups every authenticated request makes (session by
 * cookie, role by organisation and user, the organisation's two-factor requirement), so a
 * dashboard read asks the database for its data only. Entries are served AUTH_CACHE_TTL_MS at
 * most after they were read and are dropped at once on the changes made through this process
 * (sign-out, role change, organisation deletion); another API process sees such a change within
 * the TTL. In the second half of an entry's life, the first request that uses it starts a reload
 * in the background (no request waits on the database while the entry is in use); a reload, like
 * any load, that was under way when something was forgotten is not stored. A session is never
 * used past its own expiry. Keys hold the cookie's SHA-256, never the cookie.
 */
@Injectable()
export class AuthCache {
  private readonly sessions = new Map<string, Entry<CachedSession | null>>();
  private readonly roles = new Map<string, Entry<Role | null>>();
  /** Whether an organisation requires two-factor authentication of its members. */
  private readonly mfaRequirements = new Map<string, Entry<boolean>>();
  /** Moves with every `forget*`: a load begun before it is not stored. */
  private generation = 0;

  /** The clock (a test subclass moves it). */
  protected now(): number {
    return Date.now();
  }

  session(
    cookie: string,
    load: () => Promise<CachedSession | null>,
  ): Promise<CachedSession | null> {
    const key = createHash('sha256').update(cookie).digest('hex');
    return this.cached(this.sessions, key, load, (v) => !v || v.expiresAt.getTime() > this.now());
  }

  role(organizationId: string, userId: string, load: () => Promise<Role | null>) {
    return this.cached(this.roles, `${organizationId}/${userId}`, load);
  }

  mfaRequired(organizationId: string, load: () => Promise<boolean>): Promise<boolean> {
    return this.cached(this.mfaRequirements, organizationId, load);
  }

  private async cached<V>(
    map: Map<string, Entry<V>>,
    key: string,
    load: () => Promise<V>,
    usable: (value: V) => boolean = () => true,
  ): Promise<V> {
    const hit = map.get(key);
    const t = this.now();
    if (hit && hit.until > t && usable(hit.value)) {
      if (!hit.refreshing && hit.until - t < AUTH_CACHE_TTL_MS / 2) {
        hit.refreshing = true;
        const generation = this.generation;
        load().then(
          (value) => {
            if (map.get(key) === hit) this.put(map, key, value, generation);
          },
          () => {
            hit.refreshing = false;
          },
        );
      }
      return hit.value;
    }
    const generation = this.generation;
    const value = await load();
    this.put(map, key, value, generation);
    return value;
  }

  /** The organisation's two-factor requirement changed. */
  forgetMfaRequirement(organizationId: string): void {
    this.generation++;
    this.mfaRequirements.delete(organizationId);
  }

  /** Sign-out: the session is gone. */
  forgetSession(sessionId: string): void {
    this.generation++;
    for (const [k, e] of this.sessions) if (e.value?.id === sessionId) this.sessions.delete(k);
  }

  /** Every session and membership of a user (account deleted, password changed). */
  forgetUser(userId: string): void {
    this.generation++;
    for (const [k, e] of this.sessions) if (e.value?.userId === userId) this.sessions.delete(k);
    for (const k of this.roles.keys()) if (k.endsWith(`/${userId}`)) this.roles.delete(k);
  }

  /** A membership changed (role change, removal). */
  forgetMembership(organizationId: string, userId: string): void {
    this.generation++;
    this.roles.delete(`${organizationId}/${userId}`);
  }

  /** Every membership of an organisation (organisation deleted). */
  forgetOrganization(organizationId: string): void {
    this.generation++;
    for (const k of this.roles.keys()) if (k.startsWith(`${organizationId}/`)) this.roles.delete(k);
    this.mfaRequirements.delete(organizationId);
  }

  private put<V>(map: Map<string, Entry<V>>, key: string, value: V, generation: number): void {
    // Something was forgotten while this was loading: what it read may be what was forgotten.
    if (generation !== this.generation) return;
    map.delete(key);
    map.set(key, { value, until: this.now() + AUTH_CACHE_TTL_MS });
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
  }
}
