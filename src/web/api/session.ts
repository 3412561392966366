import type { UserSummary } from '../../api/access/schema.ts';
import type { ApiClient } from './client.ts';

/** The signed-in user as the login API returns it (POST /api/v1/auth/login). */
export type SessionUser = UserSummary;

export interface Session {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

const STORAGE_KEY = 'cordon.session';

/**
 * The session survives a reload (a wall screen is reloaded, not re-typed). Expiry is left to the
 * server, which answers 401 and sends the user back to the login screen: `expiresAt` is on the
 * deployment's clock, which a simulation or drill may have moved far from this browser's.
 */
export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return session.token ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  try {
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused: the session lasts for this page only.
  }
}

export function login(api: ApiClient, username: string, password: string): Promise<Session> {
  return api.post<Session>('/auth/login', { username, password });
}
