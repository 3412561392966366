import { useI18n } from '../i18n/I18nProvider.tsx';

/** Stage times read in minutes below two hours and in hours above (a lab's turnaround is hours). */
export function useDuration(): (ms: number | null) => string {
  const { t } = useI18n();
  return (ms) => {
    if (ms == null) return t('common.unknown');
    const minutes = ms / 60_000;
    if (minutes < 120) return t('duration.minutes', { n: Math.round(minutes) });
    return t('duration.hours', { n: (minutes / 60).toFixed(1) });
  };
}
