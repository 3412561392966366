import { useCallback, useMemo, useState } from 'react';
import { createApiClient } from '../api/client.ts';
import type { Session } from '../api/session.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEventStream } from '../live/useEventStream.ts';
import { MapPanel } from '../map/MapPanel.tsx';
import { AlertsPanel } from '../panels/AlertsPanel.tsx';
import { BedsPanel } from '../panels/BedsPanel.tsx';
import { CasesPanel } from '../panels/CasesPanel.tsx';
import { ClearingPanel } from '../panels/ClearingPanel.tsx';
import { ContactsPanel } from '../panels/ContactsPanel.tsx';
import { ControlPanel } from '../panels/ControlPanel.tsx';
import { CoveragePanel } from '../panels/CoveragePanel.tsx';
import { KeyFigures } from '../panels/KeyFigures.tsx';
import { StagesPanel } from '../panels/StagesPanel.tsx';
import { TransfersPanel } from '../panels/TransfersPanel.tsx';
import { ZonesPanel } from '../panels/ZonesPanel.tsx';
import { TopBar, type LastEvent } from './TopBar.tsx';
import { useOverview } from './useOverview.ts';
import { useRegionRoute } from './useRegionRoute.ts';

function occurredAt(data: string): number {
  try {
    const value = (JSON.parse(data) as { occurredAt?: unknown }).occurredAt;
    return typeof value === 'number' ? value : Date.now();
  } catch {
    return Date.now();
  }
}

/**
 * The command picture: the area's figures, map and panels, live. Every event the server lets
 * this user see triggers a refetch of the overview (coalesced), so what is on screen is always
 * the server's scoped answer and never a client-side patch that could drift from it.
 */
export function Dashboard({ session, onLogout }: { session: Session; onLogout(): void }) {
  const { language, t } = useI18n();
  const api = useMemo(
    () => createApiClient({ token: session.token, language, onUnauthenticated: onLogout }),
    [session.token, language, onLogout],
  );
  const [regionId, go] = useRegionRoute();
  const latest = useOverview(api, regionId);
  const { error, refresh } = latest;
  // While a drill-down loads, the previous area stays on screen; if it fails, that area must not
  // pass for the one asked for.
  const stale = latest.overview != null && regionId != null && latest.overview.region.id !== regionId;
  const overview = error && stale ? null : latest.overview;
  const [lastEvent, setLastEvent] = useState<LastEvent | null>(null);
  const live = useEventStream(
    session.token,
    useCallback(
      (message) => {
        setLastEvent({ type: message.type, at: occurredAt(message.data) });
        refresh();
      },
      [refresh],
    ),
  );

  if (session.user.scope.kind !== 'region') {
    return <p className="centered muted">{t('scope.notRegion')}</p>;
  }
  const sections = overview?.sections ?? {};
  return (
    <div className="dashboard" data-testid="dashboard" data-region={overview?.region.id}>
      <TopBar
        user={session.user}
        overview={overview}
        live={live}
        lastEvent={lastEvent}
        onNavigate={go}
        onLogout={onLogout}
      />
      {error && (
        <p className="error-banner" data-testid="overview-error">
          {t('common.error', { message: error.message })}{' '}
          {regionId != null && (
            <button type="button" onClick={() => go(null)}>
              {t('nav.back')}
            </button>
          )}
        </p>
      )}
      {!overview ? (
        <p className="centered muted">{error ? '' : t('common.loading')}</p>
      ) : (
        <main className="grid">
          <div className="col left">
            <CasesPanel sections={sections} />
            <ClearingPanel overview={overview} />
            <CoveragePanel sections={sections} />
            <ZonesPanel sections={sections} />
          </div>
          <div className="col center">
            <KeyFigures sections={sections} />
            <MapPanel api={api} overview={overview} onDrill={go} />
            <div className="row">
              <StagesPanel sections={sections} />
              <ControlPanel sections={sections} />
            </div>
          </div>
          <div className="col right">
            <AlertsPanel
              api={api}
              sections={sections}
              role={session.user.role}
              timeZone={overview.timeZone}
              onChanged={refresh}
            />
            <TransfersPanel sections={sections} />
            <BedsPanel sections={sections} />
            <ContactsPanel sections={sections} />
          </div>
        </main>
      )}
    </div>
  );
}
