import { useMemo, useState } from 'react';
import type { Role } from '../../domain/access/roles.ts';
import { mayHandleAlerts } from '../../domain/kernel/alerts.ts';
import { ApiError, type ApiClient } from '../api/client.ts';
import { acknowledgeAlert, resolveAlert, type OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { AlertRow, type AlertActions } from './AlertRow.tsx';
import { Figure, SectionPanel } from './Panel.tsx';

interface Props {
  api: ApiClient;
  sections: OverviewSections;
  role: Role;
  timeZone: string;
  /** Refetch after an action; the event stream would bring it too, this is just sooner. */
  onChanged(): void;
}

/** 24小时实时监测: open alerts by level, the most urgent listed with acknowledge / resolve. */
export function AlertsPanel({ api, sections, role, timeZone, onChanged }: Props) {
  const { t, formatNumber } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);

  const actions = useMemo<AlertActions | null>(() => {
    if (!mayHandleAlerts(role)) return null;
    const run = async (call: () => Promise<unknown>) => {
      setFailure(null);
      try {
        await call();
        onChanged();
      } catch (e) {
        if (e instanceof ApiError && e.routeMissing) setFailure(t('alerts.actionUnavailable'));
        else setFailure(t('alerts.actionFailed', { message: e instanceof Error ? e.message : String(e) }));
      }
    };
    return {
      acknowledge: (id) => run(() => acknowledgeAlert(api, id)),
      resolve: (id, resolution) => run(() => resolveAlert(api, id, resolution)),
    };
  }, [api, role, onChanged, t]);

  return (
    <SectionPanel
      sections={sections}
      section="alerts"
      title="panel.alerts"
      awaits="awaits.alerts"
      className="tall"
      render={(alerts) => (
        <div className="stack">
          <div className="figures">
            <Figure
              label={t('alerts.level.critical')}
              value={formatNumber(alerts.open.critical)}
              tone={alerts.open.critical > 0 ? 'alarm' : undefined}
              testId="alerts-critical"
            />
            <Figure
              label={t('alerts.level.warning')}
              value={formatNumber(alerts.open.warning)}
              tone={alerts.open.warning > 0 ? 'warn' : undefined}
              testId="alerts-warning"
            />
            <Figure
              label={t('alerts.level.info')}
              value={formatNumber(alerts.open.info)}
              testId="alerts-info"
            />
          </div>
          {failure && <p className="alarm">{failure}</p>}
          {alerts.latest.length === 0 ? (
            <p className="muted">{t('alerts.empty')}</p>
          ) : (
            <ul className="alert-list">
              {alerts.latest.map((alert) => (
                <AlertRow key={alert.id} alert={alert} actions={actions} timeZone={timeZone} />
              ))}
            </ul>
          )}
          {alerts.total > alerts.latest.length && (
            <p className="muted">{t('alerts.more', { n: alerts.total - alerts.latest.length })}</p>
          )}
        </div>
      )}
    />
  );
}
