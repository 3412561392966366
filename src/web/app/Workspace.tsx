import { useCallback, useMemo, useState } from 'react';
import { createApiClient } from '../api/client.ts';
import type { Overview } from '../api/dashboard.ts';
import type { Session } from '../api/session.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEventStream } from '../live/useEventStream.ts';
import { AlertsScreen } from '../screens/AlertsScreen.tsx';
import { LabUploadScreen } from '../screens/LabUploadScreen.tsx';
import { TransferBoard } from '../screens/TransferBoard.tsx';
import { WorkListScreen } from '../screens/WorkListScreen.tsx';
import { ZonesScreen } from '../screens/ZonesScreen.tsx';
import { Dashboard } from './Dashboard.tsx';
import { NavTabs } from './NavTabs.tsx';
import { screensFor, useScreenRoute, type Screen } from './routes.ts';
import { TopBar, type LastEvent } from './TopBar.tsx';
import { useRegionRoute } from './useRegionRoute.ts';

function occurredAt(data: string): number {
  try {
    const value = (JSON.parse(data) as { occurredAt?: unknown }).occurredAt;
    return typeof value === 'number' ? value : Date.now();
  } catch {
    return Date.now();
  }
}

/** Props every work screen receives. `version` moves on each event this user's stream delivers. */
export interface ScreenProps {
  api: ReturnType<typeof createApiClient>;
  session: Session;
  version: number;
  timeZone: string;
}

/**
 * The signed-in frame: top bar, the screens of the user's role, and one scoped event stream that
 * every screen follows (each refetches from the server on an event, never patches itself).
 */
export function Workspace({ session, onLogout }: { session: Session; onLogout(): void }) {
  const { language, t } = useI18n();
  const api = useMemo(
    () => createApiClient({ token: session.token, language, onUnauthenticated: onLogout }),
    [session.token, language, onLogout],
  );
  const screens = screensFor(session.user.role, session.user.scope.kind);
  const [asked, go] = useScreenRoute();
  const screen: Screen | undefined = asked && screens.includes(asked) ? asked : screens[0];
  const [regionId, goRegion] = useRegionRoute();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [version, setVersion] = useState(0);
  const [lastEvent, setLastEvent] = useState<LastEvent | null>(null);
  const live = useEventStream(
    session.token,
    useCallback((message) => {
      setLastEvent({ type: message.type, at: occurredAt(message.data) });
      setVersion((v) => v + 1);
    }, []),
  );
  const timeZone = overview?.timeZone ?? 'Asia/Shanghai';
  const props: ScreenProps = { api, session, version, timeZone };
  const navigate = (id: number) => {
    if (screen !== 'overview') go('overview');
    goRegion(id);
  };

  return (
    <div className="dashboard" data-testid="workspace" data-screen={screen}>
      <TopBar
        user={session.user}
        overview={screen === 'overview' ? overview : null}
        live={live}
        lastEvent={lastEvent}
        onNavigate={navigate}
        onLogout={onLogout}
      />
      {screen && <NavTabs screens={screens} current={screen} onGo={go} />}
      {!screen && <p className="centered muted">{t('scope.noScreens')}</p>}
      {screen === 'overview' && (
        <Dashboard {...props} regionId={regionId} onDrill={goRegion} onOverview={setOverview} />
      )}
      {screen === 'alerts' && <AlertsScreen {...props} />}
      {screen === 'zones' && <ZonesScreen {...props} />}
      {screen === 'work' && <WorkListScreen {...props} />}
      {screen === 'transfers' && <TransferBoard {...props} />}
      {screen === 'lab' && <LabUploadScreen {...props} />}
    </div>
  );
}
