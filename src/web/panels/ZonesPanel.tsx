import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Figure, SectionPanel } from './Panel.tsx';

/** 三区: places sealed, controlled and in precaution. */
export function ZonesPanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="zones"
      title="panel.zones"
      awaits="awaits.zones"
      render={(zones) => (
        <div className="figures">
          <Figure label={t('zones.sealed')} value={formatNumber(zones.sealed)} tone="alarm" />
          <Figure label={t('zones.controlled')} value={formatNumber(zones.controlled)} tone="warn" />
          <Figure label={t('zones.precaution')} value={formatNumber(zones.precaution)} tone="good" />
        </div>
      )}
    />
  );
}
