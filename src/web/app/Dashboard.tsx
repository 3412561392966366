import { useEffect } from 'react';
import type { Overview } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
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
import { useOverview } from './useOverview.ts';
import type { ScreenProps } from './Workspace.tsx';

interface Props extends ScreenProps {
  regionId: number | null;
  onDrill(regionId: number | null): void;
  /** The overview on screen, for the top bar's breadcrumbs and the deployment's time zone. */
  onOverview(overview: Overview | null): void;
}

/**
 * The command picture: the area's figures, map and panels, live. Every event the server lets
 * this user see triggers a refetch of the overview (coalesced), so what is on screen is always
 * the server's scoped answer and never a client-side patch that could drift from it.
 */
export function Dashboard({ api, session, version, regionId, onDrill, onOverview }: Props) {
  const { t } = useI18n();
  const latest = useOverview(api, regionId);
  const { error, refresh } = latest;
  // While a drill-down loads, the previous area stays on screen; if it fails, that area must not
  // pass for the one asked for.
  const stale = latest.overview != null && regionId != null && latest.overview.region.id !== regionId;
  const overview = error && stale ? null : latest.overview;
  useEffect(() => {
    if (version > 0) refresh();
  }, [version, refresh]);
  useEffect(() => onOverview(overview), [overview, onOverview]);

  if (session.user.scope.kind !== 'region') {
    return <p className="centered muted">{t('scope.notRegion')}</p>;
  }
  const sections = overview?.sections ?? {};
  return (
    <div className="overview" data-testid="dashboard" data-region={overview?.region.id}>
      {error && (
        <p className="error-banner" data-testid="overview-error">
          {t('common.error', { message: error.message })}{' '}
          {regionId != null && (
            <button type="button" onClick={() => onDrill(null)}>
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
            <MapPanel api={api} overview={overview} onDrill={onDrill} />
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
