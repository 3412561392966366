import { useI18n } from '../i18n/I18nProvider.tsx';
import { SCREEN_TITLES, type Screen } from './routes.ts';

/** The screens this user works in, and the public bulletin (opens without login, in a new tab). */
export function NavTabs({
  screens,
  current,
  onGo,
}: {
  screens: Screen[];
  current: Screen;
  onGo(screen: Screen): void;
}) {
  const { t } = useI18n();
  return (
    <nav className="nav-tabs" aria-label={t('nav.screens')} data-testid="nav-tabs">
      {screens.map((screen) => (
        <button
          type="button"
          key={screen}
          className={screen === current ? 'active' : ''}
          aria-current={screen === current ? 'page' : undefined}
          onClick={() => onGo(screen)}
          data-testid={`nav-${screen}`}
        >
          {t(SCREEN_TITLES[screen])}
        </button>
      ))}
      <a href="/bulletin" target="_blank" rel="noreferrer" data-testid="nav-bulletin">
        {t('nav.bulletin')}
      </a>
    </nav>
  );
}
