import type { Overview } from '../api/dashboard.ts';
import type { SessionUser } from '../api/session.ts';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';
import type { StreamStatus } from '../live/useEventStream.ts';

export interface LastEvent {
  type: string;
  at: number;
}

interface Props {
  user: SessionUser;
  overview: Overview | null;
  live: StreamStatus;
  lastEvent: LastEvent | null;
  onNavigate(regionId: number): void;
  onLogout(): void;
}

/** Title, where we are (breadcrumbs back up), the live link's state, language and logout. */
export function TopBar({ user, overview, live, lastEvent, onNavigate, onLogout }: Props) {
  const { t, tMaybe, language, formatTime } = useI18n();
  const timeZone = overview?.timeZone ?? 'Asia/Shanghai';
  const path = overview?.path ?? [];
  return (
    <header className="top-bar">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <span className="muted">{t('app.subtitle')}</span>
      </div>
      <nav className="breadcrumbs" aria-label={t('nav.path')} data-testid="breadcrumbs">
        {path.map((region, i) =>
          i < path.length - 1 ? (
            <button
              type="button"
              key={region.id}
              onClick={() => onNavigate(region.id)}
              data-testid={`crumb-${region.id}`}
            >
              {regionName(language, region)}
            </button>
          ) : (
            <strong key={region.id} data-testid="current-region">
              {regionName(language, region)}
            </strong>
          ),
        )}
        {path.length > 1 && (
          <button
            type="button"
            className="back"
            onClick={() => onNavigate(path[path.length - 2].id)}
            data-testid="nav-back"
          >
            ↩ {t('nav.back')}
          </button>
        )}
      </nav>
      <div className="status">
        {overview && <span>{t('top.today', { day: overview.today })}</span>}
        {overview && (
          <span data-testid="as-of">{t('top.asOf', { time: formatTime(overview.asOf, timeZone) })}</span>
        )}
        <span className={`live ${live}`} data-testid="live-status">
          ● {t(`live.${live}`)}
        </span>
        {lastEvent && (
          <span className="muted" data-testid="last-event">
            {t('live.lastEvent', { type: lastEvent.type, time: formatTime(lastEvent.at, timeZone) })}
          </span>
        )}
        <span>{t('top.user', { name: user.username, role: tMaybe(`role.${user.role}`) ?? user.role })}</span>
        <LanguageSwitch />
        <button type="button" onClick={onLogout} data-testid="logout">
          {t('top.logout')}
        </button>
      </div>
    </header>
  );
}
