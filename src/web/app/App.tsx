import { useCallback, useState } from 'react';
import { loadSession, saveSession, type Session } from '../api/session.ts';
import { Dashboard } from './Dashboard.tsx';
import { LoginScreen } from './LoginScreen.tsx';

/** The session gate: the login screen until there is a valid token, then the dashboard. */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const change = useCallback((next: Session | null) => {
    saveSession(next);
    setSession(next);
  }, []);
  const logout = useCallback(() => change(null), [change]);
  return session ? <Dashboard session={session} onLogout={logout} /> : <LoginScreen onLoggedIn={change} />;
}
