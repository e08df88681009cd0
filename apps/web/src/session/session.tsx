import type {
  LoginRequest,
  MeResponse,
  MfaChallengeResponse,
  MfaLoginRequest,
  OrganizationMembership,
  SignupRequest,
} from '@plumbline/contracts';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, describeError, type ApiClient } from '../api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'signed-in'; me: MeResponse }
  | { status: 'error'; message: string };

export interface Session {
  api: ApiClient;
  state: SessionState;
  /** Ask the API who is signed in (after sign-in, accepting an invite, or to retry). */
  refresh: () => Promise<MeResponse | null>;
  /** Signed in (the user, or null when it cannot be read), or a two-factor challenge. */
  signIn: (body: LoginRequest) => Promise<MeResponse | MfaChallengeResponse | null>;
  /** The second step of a sign-in with two-factor authentication. */
  signInWithCode: (body: MfaLoginRequest) => Promise<MeResponse | null>;
  /**
   * Sign up, then sign in with the same credentials. `signedIn: false`: the sign-in failed, which
   * happens when the email already had an account (sign-up does not say so).
   */
  signUp: (
    body: SignupRequest,
  ) => Promise<{ signedIn: boolean; me: MeResponse | null; organizationId: string | null }>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Holds who is signed in; every screen reads it through {@link useSession}. */
export function SessionProvider({ api, children }: { api: ApiClient; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const signedIn = useRef(false);

  useEffect(() => {
    // Any authenticated request answering 401 means the session ended elsewhere.
    api.setUnauthenticatedHandler(() => {
      if (!signedIn.current) return;
      signedIn.current = false;
      setState({
        status: 'signed-out',
        notice: 'Your session ended (expired or signed out elsewhere). Sign in again.',
      });
    });
  }, [api]);

  const refresh = useCallback(async (): Promise<MeResponse | null> => {
    try {
      const me = await api.me();
      signedIn.current = true;
      setState({ status: 'signed-in', me });
      return me;
    } catch (e) {
      signedIn.current = false;
      if (e instanceof ApiError && e.status === 401) {
        setState({ status: 'signed-out' });
        return null;
      }
      setState({ status: 'error', message: describeError(e) });
      return null;
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signIn = useCallback(
    async (body: LoginRequest) => {
      const r = await api.login(body);
      if ('status' in r) return r;
      return refresh();
    },
    [api, refresh],
  );

  const signInWithCode = useCallback(
    async (body: MfaLoginRequest) => {
      await api.loginMfa(body);
      return refresh();
    },
    [api, refresh],
  );

  const signUp = useCallback(
    async (body: SignupRequest) => {
      await api.signup(body);
      let organizationId: string | null;
      try {
        const r = await api.login({ email: body.email, password: body.password });
        // A new account has no second factor; an existing one signs in on the sign-in screen.
        if ('status' in r) return { signedIn: false, me: null, organizationId: null };
        ({ organizationId } = r);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401)
          return { signedIn: false, me: null, organizationId: null };
        throw e;
      }
      return { signedIn: true, me: await refresh(), organizationId };
    },
    [api, refresh],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      signedIn.current = false;
      setState({ status: 'signed-out', notice: 'You are signed out.' });
    }
  }, [api]);

  const value = useMemo<Session>(
    () => ({ api, state, refresh, signIn, signInWithCode, signUp, signOut }),
    [api, state, refresh, signIn, signInWithCode, signUp, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession needs a <SessionProvider> above it');
  return s;
}

export function useApi(): ApiClient {
  return useSession().api;
}

/** The signed-in user's membership of `orgId`, or null when they are not a member. */
export function membershipOf(me: MeResponse, orgId: string): OrganizationMembership | null {
  return me.organizations.find((o) => o.id === orgId) ?? null;
}
