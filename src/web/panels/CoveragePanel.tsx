import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { SectionPanel } from './Panel.tsx';

/** The current round's coverage: sampled of those due (应检尽检). */
export function CoveragePanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="coverage"
      title="panel.coverage"
      awaits="awaits.coverage"
      render={(coverage) => {
        if (!coverage.round) return <p className="muted">{t('coverage.noRound')}</p>;
        const share = coverage.expected > 0 ? coverage.sampled / coverage.expected : 0;
        return (
          <div className="stack">
            <p>
              {t('coverage.round', { name: coverage.round.name })}{' '}
              <span className="muted">{t(`coverage.status.${coverage.round.status}`)}</span>
            </p>
            <div className="progress" role="progressbar" aria-valuenow={Math.round(share * 100)}>
              <div style={{ width: `${Math.min(100, share * 100)}%` }} />
            </div>
            <p className="big">{(share * 100).toFixed(1)}%</p>
            <p className="muted">
              {t('coverage.sampled', {
                sampled: formatNumber(coverage.sampled),
                expected: formatNumber(coverage.expected),
              })}
            </p>
          </div>
        );
      }}
    />
  );
}
