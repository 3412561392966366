import type { Overview } from '../api/dashboard.ts';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';
import { SectionPanel } from './Panel.tsx';

/**
 * 社会面清零 per child region: whole days since the last community case and the status, judged
 * through the last complete day. Only the rule set's unit (districts by default) has an official
 * status; other levels show the same thresholds on their own population, marked as such.
 */
export function ClearingPanel({ overview }: { overview: Overview }) {
  const { t, language } = useI18n();
  const names = new Map(overview.children.map((c) => [c.id, regionName(language, c)]));
  return (
    <SectionPanel
      sections={overview.sections}
      section="clearing"
      title="panel.clearing"
      awaits="awaits.clearing"
      render={(clearing) => (
        <div className="stack">
          <p className="muted">{t('clearing.throughDay', { day: clearing.throughDay })}</p>
          <table className="rows">
            <thead>
              <tr>
                <th />
                <th>{t('clearing.daysSince')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {clearing.children.map((row) => (
                <tr key={row.regionId}>
                  <td>{names.get(row.regionId) ?? row.regionId}</td>
                  <td className="num">
                    {row.daysSinceCommunityCase == null
                      ? t('clearing.never')
                      : t('common.days', { n: row.daysSinceCommunityCase })}
                  </td>
                  <td>
                    <span
                      className={`badge ${row.status}${row.official ? '' : ' unofficial'}`}
                      title={row.official ? undefined : t('clearing.unofficial')}
                      data-testid={`clearing-${row.regionId}`}
                    >
                      {t(`clearing.status.${row.status}`)}
                      {row.official ? '' : '*'}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {clearing.children.some((row) => !row.official) && (
            <p className="muted">* {t('clearing.unofficial')}</p>
          )}
        </div>
      )}
    />
  );
}
