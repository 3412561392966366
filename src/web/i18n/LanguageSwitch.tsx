import { useI18n } from './I18nProvider.tsx';

/** One button that flips between Chinese and English; it names the language it switches to. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <button
      type="button"
      className="lang-switch"
      aria-label={t('lang.switchLabel')}
      data-testid="lang-switch"
      onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
    >
      {t('lang.switch')}
    </button>
  );
}
