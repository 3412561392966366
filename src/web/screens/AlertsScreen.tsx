import { useState } from 'react';
import { mayHandleAlerts } from '../../domain/kernel/alerts.ts';
import { ApiError } from '../api/client.ts';
import { acknowledgeAlert, resolveAlert } from '../api/dashboard.ts';
import { listAlerts, type AlertItem } from '../api/work.ts';
import { useRemote } from '../app/useRemote.ts';
import type { ScreenProps } from '../app/Workspace.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Panel } from '../panels/Panel.tsx';
import { AlertDetails } from './AlertDetails.tsx';

type State = 'open' | 'acknowledged' | 'resolved';
const STATES: State[] = ['open', 'acknowledged', 'resolved'];

/**
 * 24小时实时监测 as a work screen: every alert of the user's area by state, with what the rule
 * found, who owns it, and the actions — take it on (acknowledge: the user becomes its owner) and
 * close it with what was done (resolve).
 */
export function AlertsScreen({ api, session, version, timeZone }: ScreenProps) {
  const { t, tMaybe, formatTime } = useI18n();
  const [state, setState] = useState<State>('open');
  const [failure, setFailure] = useState<string | null>(null);
  const [resolving, setResolving] = useState<number | null>(null);
  const [resolution, setResolution] = useState('');
  const alerts = useRemote(() => listAlerts(api, state), [api, state], version);
  const handles = mayHandleAlerts(session.user.role);

  const act = async (call: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await call();
      alerts.reload();
    } catch (e) {
      setFailure(t('alerts.actionFailed', { message: e instanceof ApiError ? e.message : String(e) }));
    }
  };

  const row = (a: AlertItem) => (
    <tr key={a.id} className={`alert-row ${a.level}`} data-testid={`alert-row-${a.id}`}>
      <td>
        <span className={`badge ${a.level}`}>{t(`alerts.level.${a.level}`)}</span>
      </td>
      <td>
        <strong>{tMaybe(`alertRule.${a.rule}`) ?? a.rule}</strong>
        <AlertDetails details={a.details} />
      </td>
      <td>{formatTime(a.openedAt, timeZone)}</td>
      <td>{a.owner == null ? t('common.unknown') : t('alerts.ownerUser', { id: a.owner })}</td>
      <td>
        <div className="actions">
          {handles && a.state === 'open' && (
            <button
              type="button"
              data-testid="alert-acknowledge"
              onClick={() => void act(() => acknowledgeAlert(api, a.id))}
            >
              {t('alerts.acknowledge')}
            </button>
          )}
          {handles && a.state !== 'resolved' && resolving !== a.id && (
            <button type="button" data-testid="alert-resolve" onClick={() => setResolving(a.id)}>
              {t('alerts.resolve')}
            </button>
          )}
          {resolving === a.id && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const text = resolution.trim() || t('alerts.resolutionDefault');
                setResolving(null);
                setResolution('');
                void act(() => resolveAlert(api, a.id, text));
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
          {a.state === 'resolved' && <span className="muted">{a.resolution}</span>}
        </div>
      </td>
    </tr>
  );

  return (
    <main className="screen" data-testid="alerts-screen">
      <Panel title={t('nav.alerts')} testId="alerts-table">
        <div className="toolbar">
          {STATES.map((s) => (
            <button
              type="button"
              key={s}
              className={s === state ? 'active' : ''}
              onClick={() => setState(s)}
              data-testid={`alerts-state-${s}`}
            >
              {t(`alerts.state.${s}`)}
            </button>
          ))}
        </div>
        {failure && <p className="alarm">{failure}</p>}
        {alerts.error && <p className="alarm">{t('common.error', { message: alerts.error.message })}</p>}
        {alerts.data && alerts.data.length === 0 && <p className="muted">{t('alerts.none')}</p>}
        {alerts.data && alerts.data.length > 0 && (
          <table className="rows work">
            <thead>
              <tr>
                <th>{t('alerts.col.level')}</th>
                <th>{t('alerts.col.rule')}</th>
                <th>{t('alerts.col.opened')}</th>
                <th>{t('alerts.col.owner')}</th>
                <th />
              </tr>
            </thead>
            <tbody>{alerts.data.map(row)}</tbody>
          </table>
        )}
      </Panel>
    </main>
  );
}
