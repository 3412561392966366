import { useState } from 'react';
import type { AlertSummary } from '../api/dashboard.ts';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';

export interface AlertActions {
  acknowledge(id: number): Promise<void>;
  resolve(id: number, resolution: string): Promise<void>;
}

/** One open alert: what, where, since when; and, for those who handle alerts, its actions. */
export function AlertRow({
  alert,
  actions,
  timeZone,
}: {
  alert: AlertSummary;
  actions: AlertActions | null;
  timeZone: string;
}) {
  const { t, tMaybe, language, formatTime } = useI18n();
  const [resolving, setResolving] = useState(false);
  const [resolution, setResolution] = useState('');
  return (
    <li className={`alert ${alert.level}`} data-testid={`alert-${alert.id}`}>
      <div className="alert-head">
        <span className={`badge ${alert.level}`}>{t(`alerts.level.${alert.level}`)}</span>
        <strong>{tMaybe(`alertRule.${alert.rule}`) ?? alert.rule}</strong>
        {alert.region && <span>{regionName(language, alert.region)}</span>}
        <span className="muted">{t('alerts.openedAt', { time: formatTime(alert.openedAt, timeZone) })}</span>
        {alert.acknowledgedAt != null && (
          <span className="badge acknowledged">{t('alerts.acknowledged')}</span>
        )}
      </div>
      {actions && !resolving && (
        <div className="alert-actions">
          {alert.acknowledgedAt == null && (
            <button
              type="button"
              data-testid="alert-acknowledge"
              onClick={() => void actions.acknowledge(alert.id)}
            >
              {t('alerts.acknowledge')}
            </button>
          )}
          <button type="button" data-testid="alert-resolve" onClick={() => setResolving(true)}>
            {t('alerts.resolve')}
          </button>
        </div>
      )}
      {actions && resolving && (
        <form
          className="alert-actions"
          onSubmit={(e) => {
            e.preventDefault();
            void actions
              .resolve(alert.id, resolution.trim() || t('alerts.resolutionDefault'))
              .finally(() => setResolving(false));
          }}
        >
          <input
            aria-label={t('alerts.resolution')}
            placeholder={t('alerts.resolutionDefault')}
            value={resolution}
            onChange={(e) => setResolution(e.target.value)}
            data-testid="alert-resolution"
          />
          <button type="submit" data-testid="alert-resolve-confirm">
            {t('alerts.resolve')}
          </button>
        </form>
      )}
    </li>
  );
}
