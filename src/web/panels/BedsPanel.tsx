import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { SectionPanel } from './Panel.tsx';

/** Beds by facility kind: free of total, and days until full at the current rate. */
export function BedsPanel({ sections }: { sections: OverviewSections }) {
  const { t, tMaybe, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="beds"
      title="panel.beds"
      awaits="awaits.beds"
      render={(data) => (
        <table className="rows">
          <thead>
            <tr>
              <th />
              <th>{t('beds.free')}</th>
              <th>{t('beds.total')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.kinds.map((k) => (
              <tr key={k.kind} data-testid={`beds-${k.kind}`}>
                <td>{tMaybe(`bedKind.${k.kind}`) ?? k.kind}</td>
                <td className="num">{formatNumber(k.free)}</td>
                <td className="num">{formatNumber(k.total)}</td>
                <td className={k.daysToFull != null && k.daysToFull < 3 ? 'alarm' : 'muted'}>
                  {k.daysToFull == null ? t('beds.notFilling') : t('beds.daysToFull', { n: k.daysToFull })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}
