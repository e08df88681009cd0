import { AUTH_CACHE_TTL_MS, AuthCache } from './auth-cache.js';

/** An AuthCache on a clock the test moves. */
class ClockedCache extends AuthCache {
  t = 1_000_000;
  protected override now(): number {
    return this.t;
  }
}

/** A loader that counts its calls and answers when told (or at once). */
function loader<V>(values: V[]) {
  let i = 0;
  const waiting: (() => void)[] = [];
  let hold = false;
  const fn = jest.fn(
    () =>
      new Promise<V>((resolve) => {
        const v = values[Math.min(i++, values.length - 1)]!;
        if (hold) waiting.push(() => resolve(v));
        else resolve(v);
      }),
  );
  return {
    fn,
    holdNext: () => (hold = true),
    release: () => {
      hold = false;
      for (const w of waiting.splice(0)) w();
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('AuthCache: reused briefly, reloaded ahead of expiry, never across a forget', () => {
  it('serves an entry for its life, reloads it in the background in its second half, and waits only when it has expired', async () => {
    const cache = new ClockedCache();
    const role = loader(['viewer', 'admin', 'owner'] as const);
    expect(await cache.role('org', 'user', role.fn)).toBe('viewer');
    expect(role.fn).toHaveBeenCalledTimes(1);
    // First half of its life: served, nothing loaded.
    cache.t += AUTH_CACHE_TTL_MS / 2 - 1;
    expect(await cache.role('org', 'user', role.fn)).toBe('viewer');
    expect(role.fn).toHaveBeenCalledTimes(1);
    // Second half: served as it is, one reload starts (not two for two requests).
    cache.t += 2;
    role.holdNext();
    expect(await cache.role('org', 'user', role.fn)).toBe('viewer');
    expect(await cache.role('org', 'user', role.fn)).toBe('viewer');
    expect(role.fn).toHaveBeenCalledTimes(2);
    role.release();
    await flush();
    // The reload is stored and lives a whole TTL from when it was stored.
    expect(await cache.role('org', 'user', role.fn)).toBe('admin');
    cache.t += AUTH_CACHE_TTL_MS / 2 - 1;
    expect(await cache.role('org', 'user', role.fn)).toBe('admin');
    expect(role.fn).toHaveBeenCalledTimes(2);
    // Unused past its life: the next request waits for a load.
    cache.t += AUTH_CACHE_TTL_MS;
    expect(await cache.role('org', 'user', role.fn)).toBe('owner');
    expect(role.fn).toHaveBeenCalledTimes(3);
  });

  it('a reload under way when the session is signed out is not stored: the sign-out holds', async () => {
    const cache = new ClockedCache();
    const session = {
      id: 's1',
      userId: 'u1',
      expiresAt: new Date(cache.t + 3_600_000),
    } as unknown as Parameters<AuthCache['session']>[1] extends () => Promise<infer S> ? S : never;
    const load = loader([session, session]);
    expect(await cache.session('cookie', load.fn)).toBe(session);
    cache.t += AUTH_CACHE_TTL_MS / 2 + 1;
    load.holdNext();
    expect(await cache.session('cookie', load.fn)).toBe(session);
    expect(load.fn).toHaveBeenCalledTimes(2);
    // Signed out while the reload (which read the row before the sign-out) is under way.
    cache.forgetSession('s1');
    load.release();
    await flush();
    const after = loader([null]);
    expect(await cache.session('cookie', after.fn)).toBeNull();
    expect(after.fn).toHaveBeenCalledTimes(1);
  });

  it('a load that waited across a role change is not stored either', async () => {
    const cache = new ClockedCache();
    const role = loader(['owner'] as const);
    role.holdNext();
    const pending = cache.role('org', 'user', role.fn);
    await flush();
    cache.forgetMembership('org', 'user');
    role.release();
    expect(await pending).toBe('owner');
    const next = loader(['viewer'] as const);
    expect(await cache.role('org', 'user', next.fn)).toBe('viewer');
    expect(next.fn).toHaveBeenCalledTimes(1);
  });

  it('a session is never served past its own expiry, cached or not', async () => {
    const cache = new ClockedCache();
    const session = { id: 's2', userId: 'u2', expiresAt: new Date(cache.t + 500) };
    const load = jest.fn(async () => session as never);
    await cache.session('c2', load);
    cache.t += 600;
    await cache.session('c2', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('a failed reload leaves the entry served and tries again on the next request', async () => {
    const cache = new ClockedCache();
    let fail = false;
    const load = jest.fn(async () => {
      if (fail) throw new Error('database down');
      return true;
    });
    expect(await cache.mfaRequired('org', load)).toBe(true);
    cache.t += AUTH_CACHE_TTL_MS / 2 + 1;
    fail = true;
    expect(await cache.mfaRequired('org', load)).toBe(true);
    await flush();
    expect(await cache.mfaRequired('org', load)).toBe(true);
    expect(load).toHaveBeenCalledTimes(3);
  });
});
