import { useCallback, useState } from 'react';
import { loadSession, saveSession, type Session } from '../api/session.ts';
import { BulletinPage } from '../bulletin/BulletinPage.tsx';
import { LoginScreen } from './LoginScreen.tsx';
import { Workspace } from './Workspace.tsx';

/**
 * The public bulletin needs no login (权威信息发布 is for everyone); everything else sits behind
 * the session gate: the login screen until there is a valid token, then the workspace.
 */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const change = useCallback((next: Session | null) => {
    saveSession(next);
    setSession(next);
  }, []);
  const logout = useCallback(() => change(null), [change]);
  if (window.location.pathname === '/bulletin') return <BulletinPage />;
  return session ? <Workspace session={session} onLogout={logout} /> : <LoginScreen onLoggedIn={change} />;
}
