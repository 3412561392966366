import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Figure } from './Panel.tsx';

/** The area's headline numbers, each from the section that owns it (absent: "not yet available"). */
export function KeyFigures({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  const value = (n: number | undefined) => (n == null ? t('common.notYet') : formatNumber(n));
  const { registry, control, testOrders, alerts } = sections;
  return (
    <div className="key-figures" data-testid="key-figures">
      <Figure label={t('figure.population')} value={value(registry?.population)} testId="figure-population" />
      <Figure label={t('figure.people')} value={value(registry?.people)} testId="figure-people" />
      <Figure label={t('figure.underControl')} value={value(control?.total)} testId="figure-under-control" />
      <Figure
        label={t('figure.openTestOrders')}
        value={value(testOrders?.open)}
        testId="figure-test-orders"
      />
      <Figure
        label={t('figure.overdueTestOrders')}
        value={value(testOrders?.overdue)}
        tone={testOrders && testOrders.overdue > 0 ? 'warn' : undefined}
        testId="figure-overdue"
      />
      <Figure
        label={t('figure.openAlerts')}
        value={value(alerts?.total)}
        tone={alerts && alerts.open.critical > 0 ? 'alarm' : undefined}
        testId="figure-open-alerts"
      />
    </div>
  );
}
