import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Figure, SectionPanel } from './Panel.tsx';

/** 应转尽转、日清日结: who waits, and today's confirmed admitted the same day. */
export function TransfersPanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="transfers"
      title="panel.transfers"
      awaits="awaits.transfers"
      render={(data) => {
        const share = data.sameDayShare;
        return (
          <div className="figures">
            <Figure
              label={t('transfers.waiting')}
              value={formatNumber(data.waiting)}
              testId="transfers-waiting"
              tone={data.waiting > 0 ? 'warn' : undefined}
            />
            <Figure label={t('transfers.confirmedToday')} value={formatNumber(data.confirmedToday)} />
            <Figure
              label={t('transfers.sameDay')}
              value={share == null ? t('common.unknown') : `${(share * 100).toFixed(1)}%`}
              tone={share != null && share < 1 ? 'warn' : 'good'}
              testId="transfers-same-day"
            />
            <Figure
              label={t('transfers.waitP90')}
              value={
                data.waitP90Minutes == null
                  ? t('common.unknown')
                  : t('duration.minutes', { n: data.waitP90Minutes })
              }
            />
          </div>
        );
      }}
    />
  );
}
