import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Figure, SectionPanel } from './Panel.tsx';

/** 密接 and 次密接 in quarantine now, and contacts traced in the last 24 hours. */
export function ContactsPanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="contacts"
      title="panel.contacts"
      awaits="awaits.contacts"
      render={(contacts) => (
        <div className="figures">
          <Figure label={t('contacts.close')} value={formatNumber(contacts.inQuarantine.close)} />
          <Figure label={t('contacts.secondary')} value={formatNumber(contacts.inQuarantine.secondary)} />
          <Figure label={t('contacts.traced24h')} value={formatNumber(contacts.traced24h)} />
        </div>
      )}
    />
  );
}
